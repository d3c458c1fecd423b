package org.rdsreplicator.pruneinstances;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Retention settings of prune-instances, from {@code REPLICATOR_RETENTION_KEEP} and
 * {@code REPLICATOR_RETENTION_FINAL_SNAPSHOT} (template parameters).
 */
@ConfigMapping(prefix = "replicator.retention")
public interface RetentionConfig {

    /** How many of the newest managed instances are always kept (at least 1). */
    @WithDefault("2")
    int keep();

    /** Whether a deleted instance leaves a final snapshot ({@code <instance>-final}, tagged managed-by). */
    @WithDefault("false")
    boolean finalSnapshot();
}
