package org.rdsreplicator.prunesnapshots;

import jakarta.enterprise.context.ApplicationScoped;

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

    public PruneSnapshotsService(ManagedResources managed, SnapshotRetentionConfig retention) {
        this.managed = managed;
        this.retention = retention;
    }

    public PruneSnapshotsResult prune(PruneSnapshotsRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        int keep = retention.keep();
        if (keep < 1) {
            throw new ConfigurationException("REPLICATOR_SNAPSHOT_RETENTION_KEEP (replicator.snapshot-retention.keep) "
                    + "must be at least 1 (the copy the destination may still be copying), not " + keep);
        }
        LOG.infof("pruning snapshots of %s after replication %s: keep the %d newest shareable copies", instanceId,
                replicationId, keep);

        DeletionPlan plan = SnapshotRetention.plan(managed.snapshotsOf(instanceId), keep, replicationId);
        DeletionPlan done = managed.carryOut(plan, ManagedResources.OnFailure.THROW_TRANSIENT);

        PruneSnapshotsResult result = new PruneSnapshotsResult(DeletionPlan.ids(done.deleted()),
                DeletionPlan.ids(done.kept()), DeletionPlan.ids(done.notDeleted()));
        LOG.infof("pruned snapshots of %s: deleted %s, kept %s, not deleted %s", instanceId, result.deleted(),
                result.kept(), result.notDeleted());
        return result;
    }
}
