package org.rdsreplicator.prunesnapshots;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of prune-snapshots.
 *
 * @param replicationId        the replication that just notified the destination (required): its
 *                             shareable copy is never deleted, whatever its rank
 * @param dbInstanceIdentifier the source instance whose managed snapshots are pruned (this or dbClusterIdentifier)
 * @param dbClusterIdentifier  the source Aurora cluster whose managed cluster snapshots are pruned, instead
 */
@RegisterForReflection
public record PruneSnapshotsRequest(String replicationId, String dbInstanceIdentifier, String dbClusterIdentifier)
        implements HasReplicationId {

    /** An instance's request. */
    public PruneSnapshotsRequest(String replicationId, String dbInstanceIdentifier) {
        this(replicationId, dbInstanceIdentifier, null);
    }
}
