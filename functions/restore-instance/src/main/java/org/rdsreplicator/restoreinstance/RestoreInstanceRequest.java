package org.rdsreplicator.restoreinstance;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of restore-instance.
 *
 * @param replicationId  id of this replication (required; names and tags the new instance, keys the wait)
 * @param snapshotArn    ARN of the local copy made by copy-shared-snapshot (required; a snapshot of this
 *                       account: a shared encrypted snapshot cannot be restored directly)
 * @param sourceInstance the source DB instance identifier (required; base of the new instance's name)
 * @param taskToken      the Step Functions task token to complete when the instance is available;
 *                       absent when invoked directly (no wait is registered)
 */
@RegisterForReflection
public record RestoreInstanceRequest(String replicationId, String snapshotArn, String sourceInstance,
        String taskToken) implements HasReplicationId {

    @Override
    public String toString() {
        // The token is a credential for the execution: keep it out of logs.
        return "RestoreInstanceRequest[replicationId=" + replicationId + ", snapshotArn=" + snapshotArn
                + ", sourceInstance=" + sourceInstance + ", taskToken=" + (taskToken == null ? null : "****") + "]";
    }
}
