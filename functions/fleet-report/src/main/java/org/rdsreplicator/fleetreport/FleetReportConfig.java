package org.rdsreplicator.fleetreport;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of fleet-report, from environment variables set by template.yaml. */
@ConfigMapping(prefix = "replicator")
public interface FleetReportConfig {

    /** Alerts topic of this account ({@code REPLICATOR_ALERTS_TOPIC_ARN}). */
    Optional<String> alertsTopicArn();

    /** The source-replication state machine ({@code REPLICATOR_FLEET_SOURCE_STATE_MACHINE_ARN}). */
    Optional<String> fleetSourceStateMachineArn();
}
