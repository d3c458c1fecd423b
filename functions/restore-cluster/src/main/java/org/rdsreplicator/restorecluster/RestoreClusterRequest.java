package org.rdsreplicator.restorecluster;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of restore-cluster (the message's fields, as destination-restore passes them).
 *
 * @param replicationId id of this replication (required; names and tags the new cluster, keys the wait)
 * @param snapshotArn   the cluster snapshot the source account shared (required; a {@code cluster-snapshot} ARN of the
 *                      source account in this Region: Aurora restores it directly, no local copy)
 * @param sourceCluster the source cluster's identifier (required; base of the new cluster's name)
 * @param engine        {@code aurora-postgresql} or {@code aurora-mysql} (required)
 * @param engineVersion the source's engine version (restored as is when given)
 * @param engineMode    {@code provisioned} (default) or {@code serverless-v2} (then the cluster gets the scaling limits)
 * @param createdAt     when the source snapshot was taken (ISO-8601, required): the name and the snapshot-time tag
 * @param taskToken     the Step Functions task token completed when the cluster is available; absent when invoked
 *                      directly
 */
@RegisterForReflection
public record RestoreClusterRequest(String replicationId, String snapshotArn, String sourceCluster, String engine,
        String engineVersion, String engineMode, String createdAt, String taskToken) implements HasReplicationId {

    @Override
    public String toString() {
        // The token is a credential for the execution: keep it out of logs.
        return "RestoreClusterRequest[replicationId=" + replicationId + ", snapshotArn=" + snapshotArn
                + ", sourceCluster=" + sourceCluster + ", engine=" + engine + ", engineMode=" + engineMode
                + ", taskToken=" + (taskToken == null ? null : "****") + "]";
    }
}
