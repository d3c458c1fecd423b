package org.rdsreplicator.sharesnapshot;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of share-snapshot.
 *
 * @param replicationId id of this replication (required; must match the snapshot's replication-id tag)
 * @param snapshotArn   ARN of the shareable copy made by copy-snapshot (required)
 */
@RegisterForReflection
public record ShareSnapshotRequest(String replicationId, String snapshotArn) implements HasReplicationId {
}
