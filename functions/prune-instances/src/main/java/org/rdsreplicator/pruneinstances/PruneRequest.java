package org.rdsreplicator.pruneinstances;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of prune-instances.
 *
 * @param replicationId the replication that just finished (optional; checked when given and written to
 *                      the log). Pruning always looks at every managed instance, not only this one's.
 * @param sourceInstance the source database the run replicated: with per-database secrets (required then, except
 *                       for an Aurora cluster's run, whose source is read from the {@code source-cluster} tag of the
 *                       cluster the run restored) only its instances and copies are pruned, against its own secret;
 *                       ignored with the stack's one secret
 */
@RegisterForReflection
public record PruneRequest(String replicationId, String sourceInstance) implements HasReplicationId {

    /** A request without a source database (the stack's one secret: every managed instance is pruned together). */
    public PruneRequest(String replicationId) {
        this(replicationId, null);
    }
}
