package org.rdsreplicator.prunesnapshots;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Retention of the source account's snapshots, from {@code REPLICATOR_SNAPSHOT_RETENTION_KEEP} and
 * {@code REPLICATOR_SNAPSHOT_RETENTION_HOLD}.
 */
@ConfigMapping(prefix = "replicator.snapshot-retention")
public interface SnapshotRetentionConfig {

    /** How many of the newest shareable copies of an instance are kept (at least 1). */
    @WithDefault("2")
    int keep();

    /**
     * How long after its creation a shareable copy is kept whatever its rank (ISO-8601, e.g. {@code PT40H};
     * template parameter {@code SharedCopyHoldHours}): at least the longest a destination may take to copy
     * it, so no destination's copy is deleted under it. {@code PT0S} keeps only by rank.
     */
    @WithDefault("PT0S")
    Duration hold();
}
