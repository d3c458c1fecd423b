package org.rdsreplicator.pruneinstances;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of prune-instances (instance and snapshot identifiers).
 *
 * @param kept             managed instances left in place by the rules (the newest promoted ones, older
 *                         {@code current} ones, restores in flight), newest first
 * @param deleted          managed instances whose deletion was started (or that were already gone)
 * @param skipped          managed instances the rules would delete but that were left in place: the one
 *                         the secret points at, one with deletion protection or tagged {@code role=current},
 *                         or one RDS refused to delete at the moment (state); each is logged with the reason
 * @param deletedSnapshots intermediate {@code local-copy} snapshots deleted
 */
@RegisterForReflection
public record PruneResult(List<String> kept, List<String> deleted, List<String> skipped,
        List<String> deletedSnapshots) {
}
