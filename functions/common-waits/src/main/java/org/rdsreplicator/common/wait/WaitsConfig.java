package org.rdsreplicator.common.wait;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The wait table ({@code REPLICATOR_WAITS_TABLE}) shared by the wait registry and the promotion lock. */
@ConfigMapping(prefix = "replicator.waits")
public interface WaitsConfig {

    /** DynamoDB table holding task tokens. */
    String table();

    /** Hours after which a forgotten wait is removed by DynamoDB TTL. */
    @WithDefault("48")
    int ttlHours();
}
