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
 * Semantics, in order:
 * <ol>
 * <li>The secret is read first; if it cannot be read, nothing is deleted.</li>
 * <li>Every DB instance of the account and Region is listed (DescribeDBInstances with its tags). Only
 * instances carrying {@code rds-replicator:managed-by=rds-replicator} are considered; any other
 * instance is never looked at again. Managed instances already in status {@code deleting} are ignored.</li>
 * <li>The managed instances are sorted newest first by creation time (an instance without a creation
 * time yet counts as newest; ties by identifier, descending).</li>
 * <li>The N newest are kept, whatever their role.</li>
 * <li>Of the rest, those whose {@code rds-replicator:role} is {@code retired} or {@code cleanup} are
 * deleted, except the instance the secret points to and any instance with deletion protection, which are
 * logged and reported as skipped (as is one RDS refuses to delete in its present state). Older instances
 * with another role or none (for example {@code current}) are kept.</li>
 * <li>Deletion: DeleteDBInstance with {@code SkipFinalSnapshot = !finalSnapshot}; when finalSnapshot is
 * on, {@code FinalDBSnapshotIdentifier = <instance>-final} (cut to 63 characters), tagged managed-by,
 * replication id, source instance and kind {@code final-snapshot} (never deleted by this function).</li>
 * <li>Snapshots: of the manual snapshots carrying the managed-by tag and
 * {@code rds-replicator:kind=local-copy} (the copies copy-shared-snapshot makes) and in status
 * {@code available}, those are deleted whose replication's instance (the managed instance with the same
 * replication-id tag) exists and is available, or, when no instance of that replication exists, whose
 * creation time is before that of the oldest kept instance. Nothing else is deleted.</li>
 * </ol>
 * Output {@link PruneResult} {@code {"kept": [...], "deleted": [...], "skipped": [...],
 * "deletedSnapshots": [...]}}: kept = the N newest plus older ones whose role is not deletable; deleted =
 * deletion started; skipped = deletable by role but left in place.
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
