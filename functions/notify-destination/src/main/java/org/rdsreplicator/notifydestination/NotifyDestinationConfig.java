package org.rdsreplicator.notifydestination;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of notify-destination, from environment variables set by template.yaml. */
@ConfigMapping(prefix = "replicator")
public interface NotifyDestinationConfig {

    /** Replication topic that announces shared snapshots ({@code REPLICATOR_REPLICATION_TOPIC_ARN}). */
    Optional<String> replicationTopicArn();
}
