package org.rdsreplicator.startrestore;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of start-restore, from environment variables set by template.yaml. */
@ConfigMapping(prefix = "replicator")
public interface StartRestoreConfig {

    /** The one account whose messages are accepted ({@code REPLICATOR_SOURCE_ACCOUNT_ID}). */
    Optional<String> sourceAccountId();

    /** The one topic (the source stack's replication topic) whose messages are accepted ({@code REPLICATOR_SOURCE_TOPIC_ARN}). */
    Optional<String> sourceTopicArn();

    /** The Region the source snapshots must be in ({@code REPLICATOR_SOURCE_REGION}; defaults to this function's Region). */
    Optional<String> sourceRegion();

    /** The destination-restore state machine to start ({@code REPLICATOR_RESTORE_STATE_MACHINE_ARN}). */
    Optional<String> restoreStateMachineArn();

    /** Alerts topic of this account, for rejected messages ({@code REPLICATOR_ALERTS_TOPIC_ARN}). */
    Optional<String> alertsTopicArn();
}
