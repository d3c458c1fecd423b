package org.rdsreplicator.sharesnapshot;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of share-snapshot, from environment variables set by template.yaml. */
@ConfigMapping(prefix = "replicator")
public interface ShareSnapshotConfig {

    /** Destination account ids the snapshot is shared with, 1 to 20 ({@code REPLICATOR_DESTINATION_ACCOUNTS}, comma-separated). */
    Optional<List<String>> destinationAccounts();
}
