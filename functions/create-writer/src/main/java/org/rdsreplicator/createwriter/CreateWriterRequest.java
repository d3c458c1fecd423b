package org.rdsreplicator.createwriter;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of create-writer.
 *
 * @param replicationId       id of this replication (required; must be the cluster's replication-id tag)
 * @param dbClusterIdentifier the cluster restore-cluster made (required)
 * @param engineMode          {@code provisioned} (default) or {@code serverless-v2} (a {@code db.serverless} writer)
 * @param taskToken           the Step Functions task token completed when the writer is available; absent when
 *                            invoked directly
 */
@RegisterForReflection
public record CreateWriterRequest(String replicationId, String dbClusterIdentifier, String engineMode,
        String taskToken) implements HasReplicationId {

    @Override
    public String toString() {
        return "CreateWriterRequest[replicationId=" + replicationId + ", dbClusterIdentifier=" + dbClusterIdentifier
                + ", engineMode=" + engineMode + ", taskToken=" + (taskToken == null ? null : "****") + "]";
    }
}
