package org.rdsreplicator.common.secret;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.errors.PasswordNotInEffectException;
import org.rdsreplicator.common.errors.SecretUpdateFailedException;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.rds.ResourceState;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Points the database secret at another managed instance: the one operation behind switch-endpoint
 * (a freshly restored instance) and the rollback workflow (a retained earlier instance). It never sets a
 * password: the reset-password step has already made the secret's password the instance's master password
 * and waited until it is in effect.
 * <ol>
 * <li>The target must exist ({@link InstanceNotFoundException}) and carry the managed-by tag
 * ({@link NotManagedException}). Nothing is changed before the checks pass.</li>
 * <li>If the secret already names the target at its current endpoint, nothing is written (a retried or
 * repeated call); only the target's role tag is made sure of.</li>
 * <li>The secret's {@code username} must be the instance's master user ({@link ConfigurationException}),
 * the instance must be {@code available} with no master password pending ({@link InstanceNotAvailableException},
 * retried) and its password must have been set from the secret ({@link PasswordNotInEffectException}).</li>
 * <li>{@link Direction#NEWER_ONLY}: when the target holds an older snapshot than the instance the secret
 * names (tag {@link Tags#SNAPSHOT_TIME}), the run is superseded: nothing is written, the target is tagged
 * {@code role=cleanup}, and the result says {@code superseded}.</li>
 * <li>Otherwise the secret is written as a new version with host, port and dbInstanceIdentifier replaced and
 * every other field kept, the target is tagged {@code role=current} and the previous instance, when it
 * exists and is managed, {@code role=retired}.</li>
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
    private static final Logger LOG = Logger.getLogger(EndpointSwitch.class);

    /** Whether a switch may move the secret to an instance holding older data than the current one. */
    public enum Direction {
        /** A replication: only ever forward in time; an older copy is superseded. */
        NEWER_ONLY,
        /** A rollback: deliberately back to a retained earlier instance. */
        ANY
    }

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

    /**
     * Runs {@code body} with the secret of {@code instance}'s source database in {@link SecretScope} (per-database
     * secrets: named by the instance's {@link Tags#SOURCE_INSTANCE} tag); with the stack's one secret it just runs it.
     *
     * @throws NotManagedException when per-database secrets are used and the instance names no source database
     */
    public <T> T withSecretOf(DBInstance instance, Supplier<T> body) {
        if (!secrets.perDatabase()) {
            return body.get();
        }
        String source = Tags.value(tagsOf(instance), Tags.SOURCE_INSTANCE).filter(v -> !v.isBlank())
                .orElseThrow(() -> new NotManagedException("DB instance " + instance.dbInstanceIdentifier()
                        + " has no " + Tags.SOURCE_INSTANCE + " tag: its database secret cannot be told"));
        return SecretScope.forSource(source, body);
    }

    /** @throws InstanceNotAvailableException when {@code instance} is not {@code available} */
    public static void requireAvailable(DBInstance instance) {
        if (!"available".equals(instance.dbInstanceStatus()) || instance.endpoint() == null) {
            throw new InstanceNotAvailableException("DB instance " + instance.dbInstanceIdentifier() + " is "
                    + instance.dbInstanceStatus() + ", not available");
        }
    }

    /**
     * The secret's user must be the instance's master user: the password the secret carries is set for (and
     * only logs in as) that user.
     *
     * @throws ConfigurationException on a mismatch, or when the secret has no username or password
     */
    public void requireMatchingCredentials(DBInstance instance, DatabaseSecret secret) {
        if (secret.username() == null) {
            throw new ConfigurationException("the secret " + secrets.secretArn() + " has no '" + DatabaseSecret.USERNAME
                    + "' field");
        }
        if (secret.password() == null) {
            throw new ConfigurationException("the secret " + secrets.secretArn() + " has no '" + DatabaseSecret.PASSWORD
                    + "' field to set on " + instance.dbInstanceIdentifier());
        }
        if (instance.masterUsername() != null && !instance.masterUsername().equals(secret.username())) {
            throw new ConfigurationException("the secret's username '" + secret.username() + "' is not the master user '"
                    + instance.masterUsername() + "' of " + instance.dbInstanceIdentifier()
                    + ": set the secret's username (or DatabaseUsername) to the source's master user");
        }
    }

    /**
     * Points the secret at {@code instanceId}.
     *
     * @param idempotencyKey the same key writes the same secret version (a retried call does not stack versions)
     */
    public SwitchResult switchTo(String instanceId, String idempotencyKey, Direction direction) {
        DBInstance target = managedInstance(instanceId);
        DatabaseSecret secret = secrets.read();
        String previous = secret.dbInstanceIdentifier();

        if (pointsAt(secret, target)) {
            LOG.infof("secret already points at %s (version %s): nothing to write", instanceId, secret.versionId());
            if (!Tags.value(tagsOf(target), Tags.ROLE).filter(Tags.ROLE_CURRENT::equals).isPresent()) {
                tagRole(target, Tags.ROLE_CURRENT);
            }
            retireReplacedIfStillCurrent(target);
            return new SwitchResult(previous, instanceId, secret.versionId(), false, false);
        }
        requireMatchingCredentials(target, secret);
        requirePasswordInEffect(target);

        if (direction == Direction.NEWER_ONLY && previous != null) {
            Optional<SwitchResult> superseded = supersededBy(previous, target, secret);
            if (superseded.isPresent()) {
                return superseded.get();
            }
        }

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
        return new SwitchResult(previous, instanceId, versionId, true, false);
    }

    /**
     * The new master password is in effect: the instance is available, no password is pending, and a reset
     * step set it from the secret (tag {@link Tags#PASSWORD_SET_BY}).
     */
    private void requirePasswordInEffect(DBInstance target) {
        requireAvailable(target);
        if (ResourceState.passwordPending(target)) {
            throw new InstanceNotAvailableException("DB instance " + target.dbInstanceIdentifier()
                    + " still has a master password reset pending");
        }
        if (Tags.value(tagsOf(target), Tags.PASSWORD_SET_BY).filter(v -> !v.isBlank()).isEmpty()) {
            throw new PasswordNotInEffectException("the master password of " + target.dbInstanceIdentifier()
                    + " was never set from the secret: the secret is only pointed at an instance after the reset "
                    + "step has set its password and the reset is in effect");
        }
    }

    /**
     * A replication whose copy holds older data than the instance the secret names must not move the secret
     * back in time: its instance is tagged for cleanup and the run ends as superseded.
     */
    private Optional<SwitchResult> supersededBy(String currentId, DBInstance target, DatabaseSecret secret) {
        Optional<Instant> targetTime = snapshotTime(target);
        Optional<DBInstance> current = resources.instance(currentId);
        Optional<Instant> currentTime = current.flatMap(this::snapshotTime);
        if (targetTime.isEmpty() || currentTime.isEmpty() || !targetTime.get().isBefore(currentTime.get())) {
            return Optional.empty();
        }
        LOG.warnf("%s holds a snapshot of %s, older than the current %s (%s): superseded, not switching; %s is "
                + "tagged %s", target.dbInstanceIdentifier(), targetTime.get(), currentId, currentTime.get(),
                target.dbInstanceIdentifier(), Tags.ROLE_CLEANUP);
        tagRole(target, Tags.ROLE_CLEANUP);
        return Optional.of(new SwitchResult(currentId, currentId, secret.versionId(), false, true));
    }

    private Optional<Instant> snapshotTime(DBInstance instance) {
        return Tags.value(tagsOf(instance), Tags.SNAPSHOT_TIME).flatMap(v -> {
            try {
                return Optional.of(Instant.parse(v));
            } catch (DateTimeParseException e) {
                LOG.warnf("%s has an unreadable %s tag: its age is unknown", instance.dbInstanceIdentifier(),
                        Tags.SNAPSHOT_TIME);
                return Optional.empty();
            }
        });
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
        Optional<String> replaced = Tags.value(tagsOf(target), Tags.REPLACES).filter(s -> !s.isBlank());
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

    /** The instance's tags, from the Describe response when it carries them. */
    public List<Tag> tagsOf(DBInstance instance) {
        // DescribeDBInstances returns the tags; ask for them only when a response lacks the list.
        return instance.hasTagList() ? instance.tagList() : resources.tags(instance.dbInstanceArn());
    }
}
