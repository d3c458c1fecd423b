package org.rdsreplicator.copyheadroom;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of copy-headroom: this function's account ({@code REPLICATOR_ACCOUNT_ID}), which names its queue. */
@ConfigMapping(prefix = "replicator")
public interface CopyHeadroomConfig {

    /** The account this function runs in ({@code REPLICATOR_ACCOUNT_ID}). */
    Optional<String> accountId();
}
