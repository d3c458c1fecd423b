package org.rdsreplicator.common.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * All settings of all functions, fed from environment variables set by template.yaml
 * (for example {@code REPLICATOR_WAITS_TABLE}). Settings a step needs but that other steps do not
 * are optional here and checked where they are used, with a {@code ConfigurationException}.
 */
@ConfigMapping(prefix = "replicator")
public interface ReplicatorConfig {

    Waits waits();

    /** Customer-managed KMS key used to re-encrypt snapshot copies in this account. */
    Optional<String> kmsKeyArn();

    /** Destination account ids the source shares snapshots with (1 to 20). */
    Optional<List<String>> destinationAccounts();

    /** Replication topic (source account) that announces shared snapshots. */
    Optional<String> replicationTopicArn();

    /** Alerts topic of this account. */
    Optional<String> alertsTopicArn();

    /** Destination: the one account whose messages start-restore accepts. */
    Optional<String> sourceAccountId();

    /** Destination: the one topic (the source stack's replication topic) whose messages start-restore accepts. */
    Optional<String> sourceTopicArn();

    /** Destination: the Region the source snapshots must be in (defaults to this function's Region). */
    Optional<String> sourceRegion();

    /** Destination: the destination-restore state machine start-restore starts. */
    Optional<String> restoreStateMachineArn();

    /** Destination: the Secrets Manager secret that names the current instance. */
    Optional<String> secretArn();

    /** Wait-registry settings. */
    interface Waits {
        /** DynamoDB table holding task tokens. */
        String table();

        /** Hours after which a forgotten wait is removed by DynamoDB TTL. */
        @WithDefault("48")
        int ttlHours();
    }
}
