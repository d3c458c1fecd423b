package org.rdsreplicator.notifydestination;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of notify-destination.
 *
 * @param replicationId  id of this replication (required)
 * @param snapshotArn    ARN of the shared, re-encrypted copy (required)
 * @param sourceInstance the source DB instance; the snapshot's own instance identifier when absent
 */
@RegisterForReflection
public record NotifyRequest(String replicationId, String snapshotArn, String sourceInstance)
        implements HasReplicationId {
}
