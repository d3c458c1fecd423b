package org.rdsreplicator.prunesnapshots;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Retention of the source account's snapshots, from {@code REPLICATOR_SNAPSHOT_RETENTION_KEEP}. */
@ConfigMapping(prefix = "replicator.snapshot-retention")
public interface SnapshotRetentionConfig {

    /** How many of the newest shareable copies of an instance are kept (at least 1). */
    @WithDefault("2")
    int keep();
}
