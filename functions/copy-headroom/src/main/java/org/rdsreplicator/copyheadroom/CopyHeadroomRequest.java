package org.rdsreplicator.copyheadroom;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of copy-headroom.
 *
 * @param replicationId the replication whose copy step waits (required)
 * @param kind          {@code instance} (DB snapshot copies) or {@code cluster} (DB cluster snapshot copies)
 * @param taskToken     the token of the {@code wait for headroom} task (required: the step only makes sense waiting)
 */
@RegisterForReflection
public record CopyHeadroomRequest(String replicationId, String kind, String taskToken) implements HasReplicationId {
}
