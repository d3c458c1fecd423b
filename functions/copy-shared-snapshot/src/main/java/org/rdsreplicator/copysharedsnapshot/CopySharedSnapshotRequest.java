package org.rdsreplicator.copysharedsnapshot;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of copy-shared-snapshot (the state machine maps it from the replication message).
 *
 * @param replicationId     id of this replication (required; tags the copy and keys the wait)
 * @param sourceSnapshotArn full ARN of the snapshot the source account shared with this account (required)
 * @param sourceInstance    the source DB instance identifier (required; tags the copy)
 * @param sourceOptionGroup the shared snapshot's option group, from the message's {@code optionGroupName}
 *                          (optional: absent in messages of older sources)
 * @param taskToken         the Step Functions task token to complete when the copy is available; absent
 *                          when invoked directly (no wait is registered)
 */
@RegisterForReflection
public record CopySharedSnapshotRequest(String replicationId, String sourceSnapshotArn, String sourceInstance,
        String sourceOptionGroup, String taskToken) implements HasReplicationId {

    @Override
    public String toString() {
        // The token is a credential for the execution: keep it out of logs.
        return "CopySharedSnapshotRequest[replicationId=" + replicationId + ", sourceSnapshotArn=" + sourceSnapshotArn
                + ", sourceInstance=" + sourceInstance + ", sourceOptionGroup=" + sourceOptionGroup + ", taskToken="
                + (taskToken == null ? null : "****") + "]";
    }
}
