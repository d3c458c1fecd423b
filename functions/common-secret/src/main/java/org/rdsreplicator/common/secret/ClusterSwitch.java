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
import org.rdsreplicator.common.secret.EndpointSwitch.Direction;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * {@link EndpointSwitch} for Aurora clusters: points the database secret at a managed cluster's writer endpoint
 * (fields {@code host}, {@code port}, {@code engine}, {@code dbClusterIdentifier}), with the same rules: the target
 * exists and is managed, the secret's user is its master user, it is {@code available} with no master password
 * pending and its password was set from the secret (tag {@link Tags#PASSWORD_SET_BY} on the cluster: on Aurora the
 * password belongs to the cluster), never back in time ({@link Tags#SNAPSHOT_TIME} of the target against the cluster
 * the secret names), {@code role=current} on the target and {@code role=retired} on the previous managed cluster, a
 * failed write tags the target {@code role=cleanup}. The secret's value is never logged.
 */
@ApplicationScoped
public class ClusterSwitch {
    private static final Logger LOG = Logger.getLogger(ClusterSwitch.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final SecretStore secrets;

    public ClusterSwitch(RdsClient rds, RdsResources resources, SecretStore secrets) {
        this.rds = rds;
        this.resources = resources;
        this.secrets = secrets;
    }

    /** The cluster {@code secret} names now, or null (before the first cluster promotion). */
    public static String currentTarget(DatabaseSecret secret) {
        return secret.dbClusterIdentifier();
    }

    /**
     * Describes {@code clusterId} and checks that it exists and is managed by this system.
     *
     * @throws InstanceNotFoundException when there is no such cluster
     * @throws NotManagedException       when it lacks the managed-by tag
     */
    public DBCluster managedCluster(String clusterId) {
        Identifiers.requireValid("dbClusterIdentifier", clusterId);
        DBCluster target = resources.cluster(clusterId)
                .orElseThrow(() -> new InstanceNotFoundException("DB cluster " + clusterId + " does not exist"));
        if (!Tags.isManaged(tagsOf(target))) {
            throw new NotManagedException("DB cluster " + clusterId + " does not carry the tag " + Tags.MANAGED_BY + "="
                    + Tags.MANAGED_BY_VALUE + "; the secret is only pointed at clusters this system restored");
        }
        return target;
    }

    /**
     * Runs {@code body} with the secret of {@code cluster}'s source cluster (its {@link Tags#SOURCE_CLUSTER} tag) as
     * the one the secret store works on; with one secret for the stack, just runs it.
     *
     * @throws NotManagedException when per-database secrets are on and the cluster has no source-cluster tag
     */
    public <T> T withSecretOf(DBCluster cluster, Supplier<T> body) {
        if (!secrets.perDatabase()) {
            return body.get();
        }
        String source = Tags.value(tagsOf(cluster), Tags.SOURCE_CLUSTER).filter(v -> !v.isBlank())
                .orElseThrow(() -> new NotManagedException("DB cluster " + cluster.dbClusterIdentifier() + " has no "
                        + Tags.SOURCE_CLUSTER + " tag: its database secret cannot be told"));
        return SecretScope.forCluster(source, body);
    }

    /** @throws InstanceNotAvailableException when {@code cluster} is not {@code available} or has no writer endpoint */
    public static void requireAvailable(DBCluster cluster) {
        if (!"available".equals(cluster.status()) || cluster.endpoint() == null) {
            throw new InstanceNotAvailableException("DB cluster " + cluster.dbClusterIdentifier() + " is "
                    + cluster.status() + ", not available");
        }
    }

    /**
     * The secret's user must be the cluster's master user.
     *
     * @throws ConfigurationException on a mismatch, or when the secret has no username or password
     */
    public void requireMatchingCredentials(DBCluster cluster, DatabaseSecret secret) {
        if (secret.username() == null || secret.password() == null) {
            throw new ConfigurationException("the secret " + secrets.secretArn() + " needs '" + DatabaseSecret.USERNAME
                    + "' and '" + DatabaseSecret.PASSWORD + "' fields to set on " + cluster.dbClusterIdentifier());
        }
        if (cluster.masterUsername() != null && !cluster.masterUsername().equals(secret.username())) {
            throw new ConfigurationException("the secret's username '" + secret.username() + "' is not the master user '"
                    + cluster.masterUsername() + "' of " + cluster.dbClusterIdentifier()
                    + ": set the secret's username (or DatabaseUsername) to the source's master user");
        }
    }

    /**
     * Points the secret at {@code clusterId}'s writer endpoint.
     *
     * @param idempotencyKey the same key writes the same secret version
     */
    public SwitchResult switchTo(String clusterId, String idempotencyKey, Direction direction) {
        DBCluster target = managedCluster(clusterId);
        DatabaseSecret secret = secrets.read();
        String previous = secret.dbClusterIdentifier();

        if (clusterId.equals(previous) && target.endpoint() != null && target.endpoint().equals(secret.host())) {
            LOG.infof("secret already points at cluster %s (version %s): nothing to write", clusterId,
                    secret.versionId());
            tagRole(target, Tags.ROLE_CURRENT);
            return new SwitchResult(previous, clusterId, secret.versionId(), false, false);
        }
        requireMatchingCredentials(target, secret);
        requireAvailable(target);
        if (ResourceState.passwordPending(target)) {
            throw new InstanceNotAvailableException("DB cluster " + clusterId + " still has a master password reset "
                    + "pending");
        }
        if (Tags.value(tagsOf(target), Tags.PASSWORD_SET_BY).filter(v -> !v.isBlank()).isEmpty()) {
            throw new PasswordNotInEffectException("the master password of cluster " + clusterId + " was never set "
                    + "from the secret: the secret is only pointed at a cluster after the reset step");
        }
        if (direction == Direction.NEWER_ONLY && previous != null) {
            Optional<Instant> targetTime = snapshotTime(target);
            Optional<Instant> currentTime = resources.cluster(previous).flatMap(this::snapshotTime);
            if (targetTime.isPresent() && currentTime.isPresent() && targetTime.get().isBefore(currentTime.get())) {
                LOG.warnf("cluster %s holds a snapshot of %s, older than the current %s (%s): superseded, not "
                        + "switching; tagged %s", clusterId, targetTime.get(), previous, currentTime.get(),
                        Tags.ROLE_CLEANUP);
                tagRole(target, Tags.ROLE_CLEANUP);
                return new SwitchResult(previous, previous, secret.versionId(), false, true);
            }
        }

        String versionId;
        try {
            versionId = secrets.write(secret.pointingAtCluster(clusterId, target.endpoint(), target.port(),
                    target.engine()), idempotencyKey);
        } catch (RuntimeException e) {
            AwsFailures.throwIfTransient(e, "cannot point the secret " + secrets.secretArn() + " at cluster "
                    + clusterId + " yet; version " + secret.versionId() + " stays current");
            SecretUpdateFailedException failure = new SecretUpdateFailedException("cannot point the secret "
                    + secrets.secretArn() + " at cluster " + clusterId + "; version " + secret.versionId()
                    + " stays current", e);
            try {
                tagRole(target, Tags.ROLE_CLEANUP);
            } catch (RuntimeException tagging) {
                failure.addSuppressed(tagging);
            }
            throw failure;
        }
        LOG.infof("secret now points at cluster %s, writer endpoint %s (version %s, was %s at version %s)", clusterId,
                target.endpoint(), versionId, previous, secret.versionId());
        tagRole(target, Tags.ROLE_CURRENT);
        if (previous != null && !previous.equals(clusterId)) {
            resources.cluster(previous).filter(c -> Tags.isManaged(tagsOf(c)))
                    .ifPresent(c -> tagRole(c, Tags.ROLE_RETIRED));
        }
        return new SwitchResult(previous, clusterId, versionId, true, false);
    }

    private Optional<Instant> snapshotTime(DBCluster cluster) {
        return Tags.value(tagsOf(cluster), Tags.SNAPSHOT_TIME).flatMap(v -> {
            try {
                return Optional.of(Instant.parse(v));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    /** Tags the cluster's life-cycle role. */
    public void tagRole(DBCluster cluster, String role) {
        try {
            rds.addTagsToResource(r -> r.resourceName(cluster.dbClusterArn()).tags(Tags.tag(Tags.ROLE, role)));
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot tag cluster " + cluster.dbClusterIdentifier() + " " + Tags.ROLE + "="
                    + role);
        }
        LOG.infof("tagged cluster %s %s=%s", cluster.dbClusterIdentifier(), Tags.ROLE, role);
    }

    /** The cluster's tags, from the Describe response when it carries them. */
    public List<Tag> tagsOf(DBCluster cluster) {
        return cluster.hasTagList() && !cluster.tagList().isEmpty() ? cluster.tagList()
                : resources.tags(cluster.dbClusterArn());
    }
}
