package org.rdsreplicator.copysnapshot;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of copy-snapshot.
 *
 * @param replicationId     id of this replication (required; tags the copy, owns the wait)
 * @param sourceSnapshotArn ARN of the snapshot create-snapshot made (required)
 * @param taskToken         the Step Functions task token to complete when the copy is available;
 *                          absent when invoked directly (no wait is registered)
 */
@RegisterForReflection
public record CopySnapshotRequest(String replicationId, String sourceSnapshotArn, String taskToken)
        implements HasReplicationId {
}
