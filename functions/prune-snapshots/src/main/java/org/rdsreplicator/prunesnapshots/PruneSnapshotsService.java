package org.rdsreplicator.prunesnapshots;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.SnapshotRetention;

/**
 * Deletes the source account's managed snapshots whose job is done: carries out the {@link SnapshotRetention}
 * plan over {@link ManagedResources} (see {@link PruneSnapshotsHandler} for the exact rules). Everything is decided
 * from one listing before the first delete, so the outcome does not depend on the order of the deletes.
 */
@ApplicationScoped
public class PruneSnapshotsService {
    private static final Logger LOG = Logger.getLogger(PruneSnapshotsService.class);

    private final ManagedResources managed;
    private final SnapshotRetentionConfig retention;
    private final Clock clock;

    @Inject
    public PruneSnapshotsService(ManagedResources managed, SnapshotRetentionConfig retention) {
        this(managed, retention, Clock.systemUTC());
    }

    PruneSnapshotsService(ManagedResources managed, SnapshotRetentionConfig retention, Clock clock) {
        this.managed = managed;
        this.retention = retention;
        this.clock = clock;
    }

    public PruneSnapshotsResult prune(PruneSnapshotsRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        boolean cluster = req.dbClusterIdentifier() != null;
        if (cluster && req.dbInstanceIdentifier() != null) {
            throw new InvalidInputException("give dbInstanceIdentifier or dbClusterIdentifier, not both");
        }
        // An Aurora cluster's snapshots are cluster snapshots, pruned by the same rules per source cluster.
        String instanceId = cluster ? Identifiers.requireValid("dbClusterIdentifier", req.dbClusterIdentifier())
                : Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        int keep = retention.keep();
        if (keep < 1) {
            throw new ConfigurationException("REPLICATOR_SNAPSHOT_RETENTION_KEEP (replicator.snapshot-retention.keep) "
                    + "must be at least 1 (the copy the destination may still be copying), not " + keep);
        }
        Duration hold = retention.hold();
        if (hold.isNegative()) {
            throw new ConfigurationException("REPLICATOR_SNAPSHOT_RETENTION_HOLD (replicator.snapshot-retention.hold) "
                    + "must not be negative, not " + hold);
        }
        // Copies made after this instant may still be being copied by a destination: never deleted.
        Instant heldSince = clock.instant().minus(hold);
        LOG.infof("pruning snapshots of %s after replication %s: keep the %d newest shareable copies and every one "
                + "made after %s (hold %s)", instanceId, replicationId, keep, heldSince, hold);

        DeletionPlan plan = SnapshotRetention.plan(cluster ? managed.clusterSnapshotsOf(instanceId)
                : managed.snapshotsOf(instanceId), keep, replicationId, heldSince);
        DeletionPlan done = managed.carryOut(plan, ManagedResources.OnFailure.THROW_TRANSIENT);

        PruneSnapshotsResult result = new PruneSnapshotsResult(DeletionPlan.ids(done.deleted()),
                DeletionPlan.ids(done.kept()), DeletionPlan.ids(done.notDeleted()));
        LOG.infof("pruned snapshots of %s: deleted %s, kept %s, not deleted %s", instanceId, result.deleted(),
                result.kept(), result.notDeleted());
        return result;
    }
}
