package org.rdsreplicator.restoreinstance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.InstanceInfo;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Restores a new DB instance from the local copy of the replicated snapshot, next to the current one
 * (which the database secret names and which is left untouched: switch-endpoint moves the secret later).
 * <p>
 * The new instance is named {@code <source instance>-<snapshot time>-<hash of the replication id>}, so a
 * retry of the same replication finds the instance already being restored and adopts it (after
 * checking its replication-id tag) instead of failing or restoring a second one.
 */
@ApplicationScoped
public class RestoreInstanceService {
    static final String STEP = "restore-instance";
    private static final Logger LOG = Logger.getLogger(RestoreInstanceService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;
    private final SecretStore secrets;
    private final RestoreConfig settings;
    private final Clock clock;

    public RestoreInstanceService(RdsClient rds, RdsResources resources, WaitedStart waited, SecretStore secrets,
            RestoreConfig settings, Clock clock) {
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
    }

    public InstanceInfo restore(RestoreInstanceRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId, snapshotArn and sourceInstance is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String sourceInstance = Identifiers.requireValid("sourceInstance", req.sourceInstance());
        RdsArn snapshotArn = RdsArn.requireSnapshot("snapshotArn", req.snapshotArn());
        String instanceClass = settings.instanceClass().filter(c -> !c.isBlank())
                .orElseThrow(() -> new ConfigurationException("REPLICATOR_RESTORE_INSTANCE_CLASS is not set"));

        return SecretScope.forSource(sourceInstance, () -> {
            DBSnapshot snapshot = localSnapshot(snapshotArn);
            // Per-database secrets: the first restore of a database creates its secret (its password is set on the
            // new instance by reset-password). Then, before anything is restored: without a readable secret the new
            // instance could never be switched to.
            if (secrets.createIfMissing(snapshot.masterUsername(), snapshot.engine(),
                    settings.secretKmsKeyArn().orElse(null))) {
                LOG.infof("created the database secret %s for %s", secrets.secretArn(), sourceInstance);
            }
            String current = currentInstance();

            Instant snapshotTime = nameTime(snapshot);
            String instanceId = Identifiers.forReplication(sourceInstance, snapshotTime, replicationId);
            RdsArn instanceArn = RdsArn.parse(snapshot.dbSnapshotArn()).sibling(RdsArn.DB, instanceId);

            Optional<DBInstance> existing = resources.instance(instanceId);
            existing.ifPresent(i -> adopt(i, replicationId));

            DBInstance instance = waited.run(instanceArn.toString(), req.taskToken(), replicationId, STEP, existing,
                    () -> start(snapshot, snapshotTime, instanceId, instanceClass, replicationId, sourceInstance,
                            current));
            return InstanceInfo.of(instance);
        });
    }

    /** The instance the secret names now (null before the first switch), read without logging the value. */
    private String currentInstance() {
        DatabaseSecret secret = secrets.readOrRefuse();
        String current = secret.dbInstanceIdentifier();
        if (current == null || current.isBlank()) {
            LOG.infof("the database secret names no instance yet: this is the first restore");
            return null;
        }
        return current;
    }

    private DBSnapshot localSnapshot(RdsArn arn) {
        DBSnapshot s = resources.snapshot(arn.identifier()).orElseThrow(
                () -> new SnapshotNotFoundException("DB snapshot " + arn + " does not exist in this account"));
        if (!arn.toString().equals(s.dbSnapshotArn())) {
            // Same name, other account or Region: never restore something other than what was asked for.
            throw new SnapshotNotFoundException("DB snapshot " + arn + " is not in this account and Region (found "
                    + s.dbSnapshotArn() + "): restore the local copy");
        }
        return s;
    }

    /**
     * The time in the new instance's name: when the source snapshot was taken (kept by RDS across
     * copies), so every attempt of the replication derives the same name.
     */
    private Instant nameTime(DBSnapshot s) {
        if (s.originalSnapshotCreateTime() != null) {
            return s.originalSnapshotCreateTime();
        }
        if (s.snapshotCreateTime() != null) {
            return s.snapshotCreateTime();
        }
        // Only a snapshot still being made has no time; RDS will refuse to restore it (ResourceBusy).
        return clock.instant();
    }

    private DBInstance start(DBSnapshot snapshot, Instant snapshotTime, String instanceId, String instanceClass,
            String replicationId, String sourceInstance, String current) {
        try {
            return restoreOrAdopt(snapshot, snapshotTime, instanceId, instanceClass, replicationId, sourceInstance,
                    current);
        } catch (AwsServiceException e) {
            throw RestoreErrors.translate(e, "cannot restore " + instanceId + " from " + snapshot.dbSnapshotIdentifier());
        }
    }

    private DBInstance restoreOrAdopt(DBSnapshot snapshot, Instant snapshotTime, String instanceId,
            String instanceClass, String replicationId, String sourceInstance, String current) {
        List<Tag> tags = new ArrayList<>(Tags.managed(replicationId, sourceInstance, null));
        // Which data the instance holds: promotion compares it with the current instance's (never back in time).
        tags.add(Tags.tag(Tags.SNAPSHOT_TIME, snapshotTime.toString()));
        if (current != null) {
            tags.add(Tags.tag(Tags.REPLACES, current));
        }
        try {
            DBInstance i = rds.restoreDBInstanceFromDBSnapshot(r -> {
                r.dbInstanceIdentifier(instanceId).dbSnapshotIdentifier(snapshot.dbSnapshotIdentifier())
                        .dbInstanceClass(instanceClass)
                        .publiclyAccessible(false) // never, whatever the source or the settings say
                        .copyTagsToSnapshot(true)
                        .multiAZ(settings.multiAz())
                        .deletionProtection(settings.deletionProtection())
                        .tags(tags);
                settings.subnetGroup().filter(v -> !v.isBlank()).ifPresent(r::dbSubnetGroupName);
                settings.securityGroupIds().filter(v -> !v.isEmpty()).ifPresent(r::vpcSecurityGroupIds);
                settings.optionGroup().filter(v -> !v.isBlank()).ifPresent(r::optionGroupName);
                settings.parameterGroup().filter(v -> !v.isBlank()).ifPresent(r::dbParameterGroupName);
            }).dbInstance();
            LOG.infof("restoring %s (%s) from %s for replication %s; current instance %s", instanceId, instanceClass,
                    snapshot.dbSnapshotIdentifier(), replicationId, current);
            return i;
        } catch (DbInstanceAlreadyExistsException e) {
            // Another attempt of this step started it between our Describe and the restore: adopt it if ours.
            DBInstance i = resources.instance(instanceId).orElseThrow(() -> e);
            adopt(i, replicationId);
            return i;
        }
    }

    private void adopt(DBInstance i, String replicationId) {
        waited.requireOwnedBy(i.dbInstanceArn(), "DB instance " + i.dbInstanceIdentifier(), replicationId);
        LOG.infof("adopting instance %s already restored by replication %s (status %s)", i.dbInstanceIdentifier(),
                replicationId, i.dbInstanceStatus());
    }
}
