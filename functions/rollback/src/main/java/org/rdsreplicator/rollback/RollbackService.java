package org.rdsreplicator.rollback;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.secret.SwitchResult;

import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Points the secret back at a retained earlier instance. Checks, before changing anything, that the
 * instance exists, is managed by this system, is available and is not already the current one; then
 * runs the same {@link EndpointSwitch} as switch-endpoint (the instance gets the secret's password, the
 * secret a new version, the instance {@code role=current} and the instance it replaces
 * {@code role=retired}). The idempotency key {@code rollback-<id>-<current secret version>} makes a
 * retried invocation write no second version.
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

    public SwitchResult rollback(RollbackRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with dbInstanceIdentifier is required");
        }
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        // One log line whatever the operator typed.
        String reason = req.reason() == null || req.reason().isBlank() ? "(no reason given)"
                : req.reason().strip().replaceAll("\\s+", " ");
        if (reason.length() > MAX_REASON) {
            throw new InvalidInputException("reason must be at most " + MAX_REASON + " characters");
        }

        DBInstance target = endpointSwitch.managedInstance(instanceId);
        EndpointSwitch.requireAvailable(target);
        DatabaseSecret secret = secrets.read();
        if (instanceId.equals(secret.dbInstanceIdentifier())) {
            throw new InvalidInputException("DB instance " + instanceId + " is already the current instance "
                    + "(secret version " + secret.versionId() + "): nothing to roll back to");
        }

        LOG.infof("rolling back from %s to %s (secret version %s): %s", secret.dbInstanceIdentifier(), instanceId,
                secret.versionId(), reason);
        SwitchResult result = endpointSwitch.switchTo(instanceId, "rollback-" + instanceId + "-" + secret.versionId());
        LOG.infof("rollback done: secret version %s points at %s", result.secretVersionId(), instanceId);
        return result;
    }
}
