package org.rdsreplicator.rollback;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;

import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The first step of the rollback workflow: checks, before anything changes, that the instance exists, is
 * managed by this system, is available, is not already the current one, and that the secret's user is its
 * master user. The workflow then sets the secret's password on it and waits until it is in effect
 * (reset-password), and switches the secret (switch-endpoint, allowed to go back in time), so no secret
 * version ever names an instance whose password does not work yet.
 */
@ApplicationScoped
public class RollbackService {
    static final int MAX_REASON = 256;
    private static final Logger LOG = Logger.getLogger(RollbackService.class);

    private final EndpointSwitch endpointSwitch;
    private final SecretStore secrets;

    public RollbackService(EndpointSwitch endpointSwitch, SecretStore secrets) {
        this.endpointSwitch = endpointSwitch;
        this.secrets = secrets;
    }

    public RollbackTarget check(RollbackRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with dbInstanceIdentifier is required");
        }
        String runId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        // One log line whatever the operator typed.
        String reason = req.reason() == null || req.reason().isBlank() ? "(no reason given)"
                : req.reason().strip().replaceAll("\\s+", " ");
        if (reason.length() > MAX_REASON) {
            throw new InvalidInputException("reason must be at most " + MAX_REASON + " characters");
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
}
