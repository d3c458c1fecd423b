package org.rdsreplicator.rollback;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.secret.ClusterSwitch;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;

import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The first step of the rollback workflow: checks, before anything changes, that the instance exists, is
 * managed by this system, is available, is not already the current one, and that the secret's user is its
 * master user. The workflow then sets the secret's password on it and waits until it is in effect
 * (reset-password), and switches the secret (switch-endpoint, allowed to go back in time), so no secret
 * version ever names an instance whose password does not work yet. An Aurora cluster ({@code dbClusterIdentifier})
 * is checked the same way through {@link ClusterSwitch}.
 */
@ApplicationScoped
public class RollbackService {
    static final int MAX_REASON = 256;
    private static final Logger LOG = Logger.getLogger(RollbackService.class);

    private final EndpointSwitch endpointSwitch;
    private final SecretStore secrets;
    private final ClusterSwitch clusters;

    /** For instances only (a cluster request then fails). */
    public RollbackService(EndpointSwitch endpointSwitch, SecretStore secrets) {
        this(endpointSwitch, secrets, null);
    }

    @Inject
    public RollbackService(EndpointSwitch endpointSwitch, SecretStore secrets, ClusterSwitch clusters) {
        this.endpointSwitch = endpointSwitch;
        this.secrets = secrets;
        this.clusters = clusters;
    }

    public RollbackTarget check(RollbackRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with dbInstanceIdentifier is required");
        }
        String runId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = req.dbClusterIdentifier() != null ? null
                : Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        // One log line whatever the operator typed.
        String reason = req.reason() == null || req.reason().isBlank() ? "(no reason given)"
                : req.reason().strip().replaceAll("\\s+", " ");
        if (reason.length() > MAX_REASON) {
            throw new InvalidInputException("reason must be at most " + MAX_REASON + " characters");
        }

        if (req.dbClusterIdentifier() != null) {
            return checkCluster(runId, req.dbClusterIdentifier(), reason);
        }
        DBInstance target = endpointSwitch.managedInstance(instanceId);
        EndpointSwitch.requireAvailable(target);
        return endpointSwitch.withSecretOf(target, () -> check(runId, instanceId, target, reason));
    }

    private RollbackTarget check(String runId, String instanceId, DBInstance target, String reason) {
        DatabaseSecret secret = secrets.read();
        if (instanceId.equals(secret.dbInstanceIdentifier())) {
            throw new InvalidInputException("DB instance " + instanceId + " is already the current instance "
                    + "(secret version " + secret.versionId() + "): nothing to roll back to");
        }
        endpointSwitch.requireMatchingCredentials(target, secret);

        LOG.infof("rollback %s from %s to %s (secret version %s): %s", runId, secret.dbInstanceIdentifier(),
                instanceId, secret.versionId(), reason);
        return new RollbackTarget(instanceId, secret.dbInstanceIdentifier(), secret.versionId());
    }

    private RollbackTarget checkCluster(String runId, String clusterId, String reason) {
        if (clusters == null) {
            throw new IllegalStateException("this service was built for instances only");
        }
        DBCluster target = clusters.managedCluster(clusterId);
        ClusterSwitch.requireAvailable(target);
        return clusters.withSecretOf(target, () -> checkCluster(runId, clusterId, target, reason));
    }

    private RollbackTarget checkCluster(String runId, String clusterId, DBCluster target, String reason) {
        DatabaseSecret secret = secrets.read();
        if (clusterId.equals(secret.dbClusterIdentifier())) {
            throw new InvalidInputException("DB cluster " + clusterId + " is already the current cluster (secret "
                    + "version " + secret.versionId() + "): nothing to roll back to");
        }
        clusters.requireMatchingCredentials(target, secret);
        LOG.infof("rollback %s from cluster %s to cluster %s (secret version %s): %s", runId,
                secret.dbClusterIdentifier(), clusterId, secret.versionId(), reason);
        return new RollbackTarget(null, secret.dbClusterIdentifier(), secret.versionId(), clusterId);
    }
}
