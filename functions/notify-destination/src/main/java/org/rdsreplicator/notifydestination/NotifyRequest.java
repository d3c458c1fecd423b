package org.rdsreplicator.notifydestination;

import org.rdsreplicator.common.handler.HasReplicationId;
import org.rdsreplicator.common.records.ReplicationMessage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of notify-destination.
 *
 * @param replicationId  id of this replication (required)
 * @param snapshotArn    ARN of the shared, re-encrypted copy (required)
 * @param sourceInstance the source DB instance; the snapshot's own instance identifier when absent
 * @param dryRunMessage  a dry run's message as preflight-source planned it (with the dry-run marker): published as
 *                       it is, nothing is described; snapshotArn is then not used
 * @param sourceCluster  an Aurora cluster's run: the source cluster (snapshotArn is then a cluster-snapshot ARN;
 *                       the snapshot's own cluster identifier when absent)
 * @param engineMode     an Aurora cluster's run: {@code provisioned} or {@code serverless-v2}, as the preflight
 *                       reported it (required with a cluster-snapshot ARN)
 */
@RegisterForReflection
public record NotifyRequest(String replicationId, String snapshotArn, String sourceInstance,
        ReplicationMessage dryRunMessage, String sourceCluster, String engineMode)
        implements HasReplicationId {

    /** An instance's request, real or dry run. */
    public NotifyRequest(String replicationId, String snapshotArn, String sourceInstance,
            ReplicationMessage dryRunMessage) {
        this(replicationId, snapshotArn, sourceInstance, dryRunMessage, null, null);
    }

    /** A real run's request. */
    public NotifyRequest(String replicationId, String snapshotArn, String sourceInstance) {
        this(replicationId, snapshotArn, sourceInstance, null, null, null);
    }
}
