package org.rdsreplicator.createsnapshot;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of create-snapshot.
 *
 * @param dbInstanceIdentifier the source instance (required)
 * @param replicationId        id of this replication; generated from the instance and time when absent
 * @param requestedAt          ISO-8601 time the replication started (the state machine passes
 *                             {@code $$.Execution.StartTime}); names derive from it so a retry finds
 *                             the same snapshot; now when absent
 * @param taskToken            the Step Functions task token to complete when the snapshot is available;
 *                             absent when invoked directly (no wait is registered)
 * @param dbClusterIdentifier  the source Aurora DB cluster, instead of dbInstanceIdentifier (exactly one is given):
 *                             a manual cluster snapshot is taken
 */
@RegisterForReflection
public record CreateSnapshotRequest(String dbInstanceIdentifier, String replicationId, String requestedAt,
        String taskToken, String dbClusterIdentifier) implements HasReplicationId {

    /** An instance's request. */
    public CreateSnapshotRequest(String dbInstanceIdentifier, String replicationId, String requestedAt, String taskToken) {
        this(dbInstanceIdentifier, replicationId, requestedAt, taskToken, null);
    }
}
