package org.rdsreplicator.prunesnapshots;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of prune-snapshots (snapshot identifiers). Only managed {@code source-snapshot} and
 * {@code shareable-copy} snapshots of the instance appear; anything else was not looked at.
 *
 * @param deleted    snapshots whose deletion was started, or that were already gone when deleted
 * @param kept       snapshots the rules leave in place: the newest shareable copies, the current
 *                   replication's copy, snapshots of runs still in progress, snapshots not available
 * @param notDeleted snapshots the rules would delete but RDS refused to delete (each is logged with the
 *                   reason); a later run tries again
 */
@RegisterForReflection
public record PruneSnapshotsResult(List<String> deleted, List<String> kept, List<String> notDeleted) {
}
