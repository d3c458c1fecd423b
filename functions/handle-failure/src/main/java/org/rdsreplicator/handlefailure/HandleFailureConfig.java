package org.rdsreplicator.handlefailure;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of handle-failure, from environment variables set by template.yaml. */
@ConfigMapping(prefix = "replicator")
public interface HandleFailureConfig {

    /** Alerts topic of this account ({@code REPLICATOR_ALERTS_TOPIC_ARN}). */
    Optional<String> alertsTopicArn();

    /** The database secret ({@code REPLICATOR_SECRET_ARN}); set in a destination stack only. */
    Optional<String> secretArn();
}
