package org.rdsreplicator.preflightsource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of preflight-source, from environment variables set by template.yaml: the same values the steps
 * it checks for use ({@code REPLICATOR_KMS_KEY_ARN} as copy-snapshot, {@code REPLICATOR_DESTINATION_ACCOUNTS}
 * as share-snapshot, {@code REPLICATOR_SNAPSHOT_RETENTION_KEEP} and {@code _HOLD} as prune-snapshots).
 */
@ConfigMapping(prefix = "replicator")
public interface PreflightSourceConfig {

    /** The stack's ReplicationKey, which copy-snapshot re-encrypts with. */
    Optional<String> kmsKeyArn();

    /** The accounts the copy is shared with. */
    Optional<List<String>> destinationAccounts();

    /** How many shareable copies retention keeps (the dry run's plan). */
    @WithDefault("2")
    int snapshotRetentionKeep();

    /** How long a shareable copy is held after its creation whatever its rank (the dry run's plan). */
    @WithDefault("PT0S")
    Duration snapshotRetentionHold();
}
