package org.rdsreplicator.verifycopy;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the new instance is verified before the secret moves to it, from environment variables set by
 * template.yaml ({@code REPLICATOR_VERIFY_ENABLED}, {@code REPLICATOR_VERIFY_QUERY},
 * {@code REPLICATOR_VERIFY_MIN_ROWS}, {@code REPLICATOR_VERIFY_TIMEOUT_SECONDS}).
 */
@ConfigMapping(prefix = "replicator.verify")
public interface VerifyCopyConfig {

    /** Off only by choice ({@code VerifyCopy=false}): the step then logs that it skipped and passes. */
    @WithDefault("true")
    boolean enabled();

    /** The stack's validation query; absent: the trivial query that proves a login and a live session. */
    Optional<String> query();

    /** The fewest rows the validation query must return (at least 1). */
    @WithDefault("1")
    int minRows();

    /** The time box of one verification (connect, log in, query), in seconds (1-300). */
    @WithDefault("20")
    int timeoutSeconds();
}
