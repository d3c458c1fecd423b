package org.rdsreplicator.preflightdestination;

import org.rdsreplicator.common.handler.HasReplicationId;
import org.rdsreplicator.common.records.ReplicationMessage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of preflight-destination.
 *
 * @param replicationId id of this replication (required)
 * @param message       the replication message start-restore validated (required); {@code dryRun} in it makes this
 *                      a dry run
 */
@RegisterForReflection
public record PreflightDestinationRequest(String replicationId, ReplicationMessage message) implements HasReplicationId {
}
