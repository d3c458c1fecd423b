package org.rdsreplicator.prunesnapshots;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code prune-snapshots}: the last step of the source state machine, after the destination
 * was notified. Without it the source account keeps every snapshot it makes and reaches the quota of
 * 100 manual snapshots.
 * <p>
 * Input {@link PruneSnapshotsRequest} {@code {"replicationId": "...", "dbInstanceIdentifier": "..."}}.
 * Settings: {@code REPLICATOR_SNAPSHOT_RETENTION_KEEP} (N, default 2, at least 1) and
 * {@code REPLICATOR_SNAPSHOT_RETENTION_HOLD} (ISO-8601 duration H, default {@code PT0S}, not negative).
 * <p>
 * Semantics (a policy over {@code org.rdsreplicator.common.rds.ManagedResources}): the manual snapshots
 * of the instance are listed (paginated DescribeDBSnapshots with the instance and
 * {@code SnapshotType=manual}, tags from its TagList). Only those tagged
 * {@code rds-replicator:managed-by=rds-replicator} and {@code rds-replicator:source-instance=<instance>}
 * are considered; of those, only kinds {@code source-snapshot} and {@code shareable-copy}. Snapshots
 * already {@code deleting} are ignored.
 * <ul>
 * <li>A {@code source-snapshot} is deleted when it is {@code available} and its replication has an
 * {@code available} {@code shareable-copy} (the copy replaces it). Without one, its run is still in
 * progress (or failed, which handle-failure deals with) and it is kept.</li>
 * <li>The {@code shareable-copy} snapshots are ranked newest first by SnapshotCreateTime (one without a
 * time yet counts as newest; ties by identifier, descending). The N newest are kept, and so is every copy
 * of the current replication (the destination may still be copying it), and every copy created less than H
 * ago (a destination may still be copying it: see docs/architecture.md, retention). Older ones are deleted when
 * {@code available}; in any other state they are kept.</li>
 * </ul>
 * With {@code dbClusterIdentifier} instead (an Aurora cluster), the same rules apply to the managed manual
 * cluster snapshots tagged {@code rds-replicator:source-cluster=<cluster>} (DescribeDBClusterSnapshots,
 * DeleteDBClusterSnapshot).
 * <p>
 * Deleting: DeleteDBSnapshot. A snapshot already gone counts as deleted; any other refusal is logged and
 * reported in {@code notDeleted} without failing the step, except throttling.
 * <p>
 * Output {@link PruneSnapshotsResult} {@code {"deleted": [...], "kept": [...], "notDeleted": [...]}}.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException} (missing or
 * malformed replicationId or dbInstanceIdentifier; nothing called), {@code ConfigurationException} (keep
 * below 1 or a negative hold; nothing called), {@code TransientAwsException} (retry; a rerun is safe: what is gone is not listed
 * again).
 */
@Named("prune-snapshots")
@StepHandler
public class PruneSnapshotsHandler implements RequestHandler<PruneSnapshotsRequest, PruneSnapshotsResult> {

    @Inject
    PruneSnapshotsService service;

    @Override
    public PruneSnapshotsResult handleRequest(PruneSnapshotsRequest input, Context context) {
        return service.prune(input);
    }
}
