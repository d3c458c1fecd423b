package org.rdsreplicator.resetpassword;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.ResourceState;
import org.rdsreplicator.common.records.ClusterInfo;
import org.rdsreplicator.common.records.InstanceInfo;
import org.rdsreplicator.common.secret.ClusterSwitch;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Sets the secret's password as the instance's master password and waits, event-driven, until it is in
 * effect. Order: check (managed, credentials match, available), reset, tag the instance
 * {@link Tags#PASSWORD_SET_BY} = run id, then register the wait and settle at once. The reset is started
 * before the wait is registered because "done" is read from Describe (available, nothing pending), never
 * inferred from an event: a late event of the restore (RDS-EVENT-0043) cannot complete this wait early, and
 * a reset finished before the registration is found by the settle that follows it.
 * <p>
 * A re-invocation of the same run (after a wait timeout) finds its tag and only waits again; it never starts
 * a second reset.
 * <p>
 * An Aurora cluster ({@code dbClusterIdentifier}): the password belongs to the cluster, so the same order runs with
 * {@code ModifyDBCluster(MasterUserPassword, ApplyImmediately)}, the tag on the cluster, and the wait on the cluster's
 * ARN, done when the cluster is {@code available} with no password pending (RDS-EVENT-0016 for the cluster, confirmed
 * by Describe).
 */
@ApplicationScoped
public class ResetPasswordService {
    static final String STEP = "reset-password";
    private static final Logger LOG = Logger.getLogger(ResetPasswordService.class);

    private final RdsClient rds;
    private final EndpointSwitch endpoints;
    private final SecretStore secrets;
    private final WaitedStart waited;
    private final ClusterSwitch clusters;

    /** For instances only (a cluster request then fails). */
    public ResetPasswordService(RdsClient rds, EndpointSwitch endpoints, SecretStore secrets, WaitedStart waited) {
        this(rds, endpoints, secrets, waited, null);
    }

    @Inject
    public ResetPasswordService(RdsClient rds, EndpointSwitch endpoints, SecretStore secrets, WaitedStart waited,
            ClusterSwitch clusters) {
        this.rds = rds;
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.waited = waited;
        this.clusters = clusters;
    }

    /** The instance or the cluster whose password was set, as last described. */
    public ResetPasswordResult reset(ResetPasswordRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        if (req.dbClusterIdentifier() != null) {
            if (req.dbInstanceIdentifier() != null) {
                throw new InvalidInputException("give dbInstanceIdentifier or dbClusterIdentifier, not both");
            }
            return resetCluster(req);
        }
        String runId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());

        DBInstance found = endpoints.managedInstance(instanceId);
        return endpoints.withSecretOf(found, () -> reset(req, runId, instanceId, found));
    }

    private ResetPasswordResult reset(ResetPasswordRequest req, String runId, String instanceId, DBInstance found) {
        DBInstance instance = found;
        DatabaseSecret secret = secrets.read();
        endpoints.requireMatchingCredentials(instance, secret);

        boolean alreadySet = Tags.value(endpoints.tagsOf(instance), Tags.PASSWORD_SET_BY).filter(runId::equals).isPresent();
        if (alreadySet) {
            LOG.infof("master password of %s was already set by %s (status %s): waiting for it to be in effect",
                    instanceId, runId, instance.dbInstanceStatus());
        } else {
            EndpointSwitch.requireAvailable(instance);
            String password = secret.password();
            String arn = instance.dbInstanceArn();
            try {
                DBInstance modified = rds.modifyDBInstance(r -> r.dbInstanceIdentifier(instanceId)
                        .masterUserPassword(password).applyImmediately(true)).dbInstance();
                instance = modified == null ? instance : modified;
                rds.addTagsToResource(r -> r.resourceName(arn).tags(Tags.tag(Tags.PASSWORD_SET_BY, runId)));
            } catch (AwsServiceException e) {
                throw RdsErrors.translate(e, "cannot set the master password of " + instanceId);
            }
            LOG.infof("master password of %s set from the secret (version %s); waiting until it is in effect",
                    instanceId, secret.versionId());
        }
        DBInstance started = instance;
        DBInstance result = waited.run(started.dbInstanceArn(), req.taskToken(), runId, STEP, Optional.of(started),
                () -> started);
        return ResetPasswordResult.of(InstanceInfo.of(result), ResourceState.passwordPending(result));
    }

    private ResetPasswordResult resetCluster(ResetPasswordRequest req) {
        String runId = Identifiers.requireReplicationId(req.replicationId());
        String clusterId = Identifiers.requireValid("dbClusterIdentifier", req.dbClusterIdentifier());
        if (clusters == null) {
            throw new IllegalStateException("this service was built for instances only");
        }
        DBCluster found = clusters.managedCluster(clusterId);
        return clusters.withSecretOf(found, () -> resetCluster(req, runId, clusterId, found));
    }

    private ResetPasswordResult resetCluster(ResetPasswordRequest req, String runId, String clusterId, DBCluster found) {
        DBCluster cluster = found;
        DatabaseSecret secret = secrets.read();
        clusters.requireMatchingCredentials(cluster, secret);

        boolean alreadySet = Tags.value(clusters.tagsOf(cluster), Tags.PASSWORD_SET_BY).filter(runId::equals).isPresent();
        if (alreadySet) {
            LOG.infof("master password of cluster %s was already set by %s (status %s): waiting for it to be in effect",
                    clusterId, runId, cluster.status());
        } else {
            ClusterSwitch.requireAvailable(cluster);
            String password = secret.password();
            String arn = cluster.dbClusterArn();
            try {
                DBCluster modified = rds.modifyDBCluster(r -> r.dbClusterIdentifier(clusterId)
                        .masterUserPassword(password).applyImmediately(true)).dbCluster();
                cluster = modified == null ? cluster : modified;
                rds.addTagsToResource(r -> r.resourceName(arn).tags(Tags.tag(Tags.PASSWORD_SET_BY, runId)));
            } catch (AwsServiceException e) {
                throw RdsErrors.translate(e, "cannot set the master password of cluster " + clusterId);
            }
            LOG.infof("master password of cluster %s set from the secret (version %s); waiting until it is in effect",
                    clusterId, secret.versionId());
        }
        DBCluster started = cluster;
        DBCluster result = waited.run(started.dbClusterArn(), req.taskToken(), runId, STEP, Optional.of(started),
                () -> started);
        return ResetPasswordResult.of(ClusterInfo.of(result), ResourceState.passwordPending(result));
    }
}
