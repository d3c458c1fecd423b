package org.rdsreplicator.pruneinstances;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of prune-instances.
 *
 * @param replicationId the replication that just finished (optional; checked when given and written to
 *                      the log). Pruning always looks at every managed instance, not only this one's.
 */
@RegisterForReflection
public record PruneRequest(String replicationId) implements HasReplicationId {
}
