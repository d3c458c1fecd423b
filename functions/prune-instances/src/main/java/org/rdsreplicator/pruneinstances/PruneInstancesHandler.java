package org.rdsreplicator.pruneinstances;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code prune-instances}: the last step of the destination state machine.
 * <p>
 * Input {@link PruneRequest} {@code {"replicationId": "..."}} (optional; checked and logged).
 * Settings: {@code REPLICATOR_RETENTION_KEEP} (N, default 2, at least 1) and
 * {@code REPLICATOR_RETENTION_FINAL_SNAPSHOT} (default false).
 * <p>
 * Semantics, in order (a policy over {@code org.rdsreplicator.common.rds.ManagedResources}):
 * <ol>
 * <li>The secret is read first; if it cannot be read, nothing is deleted.</li>
 * <li>Every DB instance of the account and Region is listed (paginated DescribeDBInstances, tags from its
 * TagList). Only instances carrying {@code rds-replicator:managed-by=rds-replicator} are considered; any
 * other instance is never looked at again. Managed instances already {@code deleting} are ignored.</li>
 * <li>Instances tagged {@code rds-replicator:role=cleanup} are deleted, whatever their age.</li>
 * <li>Instances not yet promoted (no role: a restore in flight, or restored but never switched to) are
 * kept and take no place in retention.</li>
 * <li>The promoted instances ({@code role} {@code current} or {@code retired}) are ranked newest first by
 * the {@code rds-replicator:snapshot-time} tag (the source snapshot's time), else by creation time (none
 * yet counts as newest; ties by identifier, descending). The N newest are kept; older {@code retired}
 * ones are deleted; older {@code current} ones are kept.</li>
 * <li>Never deleted, reported as skipped: the instance the secret points to, a deletion-protected one,
 * one tagged {@code role=current}, and one RDS refuses to delete at the moment.</li>
 * <li>Deletion: DeleteDBInstance with {@code SkipFinalSnapshot = !finalSnapshot}; when finalSnapshot is
 * on, {@code FinalDBSnapshotIdentifier = <instance>-final} (cut to 63 characters), tagged managed-by,
 * replication id, source instance and kind {@code final-snapshot} (never deleted by this function).</li>
 * <li>Snapshots: of the manual snapshots carrying the managed-by tag and
 * {@code rds-replicator:kind=local-copy} (the copies copy-shared-snapshot makes) and in status
 * {@code available}, those are deleted whose replication's instance (the managed instance with the same
 * replication-id tag) exists and is available, or, when no instance of that replication exists, whose
 * creation time is before that of the oldest promoted instance kept by rank. Nothing else is deleted.</li>
 * </ol>
 * Output {@link PruneResult} {@code {"kept": [...], "deleted": [...], "skipped": [...],
 * "deletedSnapshots": [...]}}: kept = instances left in place by the rules, newest first; deleted =
 * deletion started (or already gone); skipped = deletable by the rules but left in place.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException} (malformed
 * replicationId), {@code ConfigurationException} (keep below 1, no secret ARN), {@code TransientAwsException}
 * (retry; a rerun is safe: instances already deleting are ignored).
 */
@Named("prune-instances")
@StepHandler
public class PruneInstancesHandler implements RequestHandler<PruneRequest, PruneResult> {

    @Inject
    PruneService service;

    @Override
    public PruneResult handleRequest(PruneRequest input, Context context) {
        return service.prune(input);
    }
}
