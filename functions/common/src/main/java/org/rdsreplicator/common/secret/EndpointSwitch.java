package org.rdsreplicator.common.secret;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.errors.SecretUpdateFailedException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Points the database secret at another managed instance: the one operation behind switch-endpoint
 * (a freshly restored instance) and rollback (a retained earlier instance).
 * <ol>
 * <li>The target must exist ({@link InstanceNotFoundException}), carry the managed-by tag
 * ({@link NotManagedException}) and, when a change is needed, be {@code available}
 * ({@link InstanceNotAvailableException}, retried by the state machine). Nothing is changed before
 * these checks pass.</li>
 * <li>If the secret already names the target at its current endpoint, nothing is written (a retried
 * or repeated call); only the target's role tag is made sure of.</li>
 * <li>Otherwise the target's master password is set to the secret's password (a restored instance keeps
 * the source's), the secret is written as a new version with host, port and dbInstanceIdentifier
 * replaced and every other field kept, the target is tagged {@code role=current} and the previous
 * instance, when it exists and is managed, {@code role=retired}.</li>
 * <li>If the secret cannot be written the previous version stays current, the target is tagged
 * {@code role=cleanup} and {@link SecretUpdateFailedException} is thrown. A transient failure of the
 * write (throttling, 5xx, timeout) is not that: it propagates as
 * {@link org.rdsreplicator.common.errors.TransientAwsException} with no tag, and the retried call writes
 * with the same client request token, so at most one new version appears.</li>
 * </ol>
 * The secret's value is never logged: only instance ids and version ids are.
 */
@ApplicationScoped
public class EndpointSwitch {
    /** Tag a restored instance carries naming the instance that was current when it was restored. */
    public static final String REPLACES = "rds-replicator:replaces";
    private static final Logger LOG = Logger.getLogger(EndpointSwitch.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final SecretStore secrets;

    public EndpointSwitch(RdsClient rds, RdsResources resources, SecretStore secrets) {
        this.rds = rds;
        this.resources = resources;
        this.secrets = secrets;
    }

    /**
     * Describes {@code instanceId} and checks that it exists and is managed by this system.
     *
     * @throws InstanceNotFoundException when there is no such instance
     * @throws NotManagedException       when it lacks the managed-by tag
     */
    public DBInstance managedInstance(String instanceId) {
        Identifiers.requireValid("dbInstanceIdentifier", instanceId);
        DBInstance target = resources.instance(instanceId)
                .orElseThrow(() -> new InstanceNotFoundException("DB instance " + instanceId + " does not exist"));
        if (!Tags.isManaged(tagsOf(target))) {
            throw new NotManagedException("DB instance " + instanceId + " does not carry the tag "
                    + Tags.MANAGED_BY + "=" + Tags.MANAGED_BY_VALUE + "; the secret is only pointed at "
                    + "instances this system restored");
        }
        return target;
    }

    /** @throws InstanceNotAvailableException when {@code instance} is not {@code available} */
    public static void requireAvailable(DBInstance instance) {
        if (!"available".equals(instance.dbInstanceStatus()) || instance.endpoint() == null) {
            throw new InstanceNotAvailableException("DB instance " + instance.dbInstanceIdentifier() + " is "
                    + instance.dbInstanceStatus() + ", not available");
        }
    }

    /**
     * Points the secret at {@code instanceId}.
     *
     * @param idempotencyKey the same key writes the same secret version (a retried call does not stack versions)
     */
    public SwitchResult switchTo(String instanceId, String idempotencyKey) {
        DBInstance target = managedInstance(instanceId);
        DatabaseSecret secret = secrets.read();
        String previous = secret.dbInstanceIdentifier();

        if (pointsAt(secret, target)) {
            LOG.infof("secret already points at %s (version %s): nothing to write", instanceId, secret.versionId());
            if (!Tags.value(tagsOf(target), Tags.ROLE).filter(Tags.ROLE_CURRENT::equals).isPresent()) {
                tagRole(target, Tags.ROLE_CURRENT);
            }
            retireReplacedIfStillCurrent(target);
            return new SwitchResult(previous, instanceId, secret.versionId(), false);
        }
        requireAvailable(target);

        String password = secret.password();
        if (password == null || password.isEmpty()) {
            throw new ConfigurationException("the secret " + secrets.secretArn() + " has no '"
                    + DatabaseSecret.PASSWORD + "' field to set on " + instanceId);
        }
        try {
            // A restored instance keeps the source's master password: make the secret's one valid on it.
            rds.modifyDBInstance(r -> r.dbInstanceIdentifier(instanceId).masterUserPassword(password)
                    .applyImmediately(true));
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot set the master password of " + instanceId);
        }
        LOG.infof("master password of %s set from the secret", instanceId);

        String versionId;
        try {
            versionId = secrets.write(
                    secret.pointingAt(instanceId, target.endpoint().address(), target.endpoint().port()),
                    idempotencyKey);
        } catch (RuntimeException e) {
            AwsFailures.throwIfTransient(e, "cannot point the secret " + secrets.secretArn() + " at " + instanceId
                    + " yet; version " + secret.versionId() + " stays current");
            LOG.errorf("writing the secret failed (%s); version %s stays current, %s is tagged %s",
                    e.getClass().getSimpleName(), secret.versionId(), instanceId, Tags.ROLE_CLEANUP);
            SecretUpdateFailedException failure = new SecretUpdateFailedException("cannot point the secret "
                    + secrets.secretArn() + " at " + instanceId + "; version " + secret.versionId()
                    + " stays current", e);
            try {
                tagRole(target, Tags.ROLE_CLEANUP);
            } catch (RuntimeException tagging) {
                failure.addSuppressed(tagging);
            }
            throw failure;
        }
        LOG.infof("secret now points at %s (version %s, was %s at version %s)", instanceId, versionId, previous,
                secret.versionId());

        tagRole(target, Tags.ROLE_CURRENT);
        if (previous != null && !previous.equals(instanceId)) {
            retire(previous);
        }
        return new SwitchResult(previous, instanceId, versionId, true);
    }

    private static boolean pointsAt(DatabaseSecret secret, DBInstance target) {
        if (!target.dbInstanceIdentifier().equals(secret.dbInstanceIdentifier())) {
            return false;
        }
        if (target.endpoint() == null) {
            // No endpoint to compare (e.g. resetting credentials just after the switch): the id decides.
            return true;
        }
        var port = secret.fields().get(DatabaseSecret.PORT);
        return target.endpoint().address().equals(secret.host())
                && (port == null || port.asInt() == target.endpoint().port());
    }

    private void retire(String instanceId) {
        Optional<DBInstance> previous = resources.instance(instanceId);
        if (previous.isEmpty()) {
            LOG.infof("previous instance %s no longer exists", instanceId);
            return;
        }
        if (!Tags.isManaged(tagsOf(previous.get()))) {
            LOG.infof("previous instance %s is not managed by this system: left untouched", instanceId);
            return;
        }
        tagRole(previous.get(), Tags.ROLE_RETIRED);
    }

    /**
     * A repeated call finds the secret already switched: if the first call stopped before retiring the
     * instance the target replaced, finish that (only while it is still tagged current).
     */
    private void retireReplacedIfStillCurrent(DBInstance target) {
        Optional<String> replaced = Tags.value(tagsOf(target), REPLACES).filter(s -> !s.isBlank());
        if (replaced.isEmpty() || replaced.get().equals(target.dbInstanceIdentifier())) {
            return;
        }
        resources.instance(replaced.get()).ifPresent(old -> {
            List<Tag> tags = tagsOf(old);
            if (Tags.isManaged(tags) && Tags.value(tags, Tags.ROLE).filter(Tags.ROLE_CURRENT::equals).isPresent()) {
                tagRole(old, Tags.ROLE_RETIRED);
            }
        });
    }

    private void tagRole(DBInstance instance, String role) {
        try {
            rds.addTagsToResource(r -> r.resourceName(instance.dbInstanceArn()).tags(Tags.tag(Tags.ROLE, role)));
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot tag " + instance.dbInstanceIdentifier() + " " + Tags.ROLE + "=" + role);
        }
        LOG.infof("tagged %s %s=%s", instance.dbInstanceIdentifier(), Tags.ROLE, role);
    }

    private List<Tag> tagsOf(DBInstance instance) {
        // DescribeDBInstances returns the tags; ask for them only when a response lacks the list.
        return instance.hasTagList() ? instance.tagList() : resources.tags(instance.dbInstanceArn());
    }
}
