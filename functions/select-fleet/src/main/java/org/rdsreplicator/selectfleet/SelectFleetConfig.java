package org.rdsreplicator.selectfleet;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of select-fleet, from environment variables set by template.yaml ({@code REPLICATOR_FLEET_*}). */
@ConfigMapping(prefix = "replicator.fleet")
public interface SelectFleetConfig {

    /** Tag key that selects a database ({@code FleetTagKey}). */
    @WithDefault("rds-replicator:replicate")
    String tagKey();

    /** Tag value that selects a database ({@code FleetTagValue}). */
    @WithDefault("true")
    String tagValue();

    /**
     * An explicit list instead of the tags ({@code FleetDatabases}): identifiers separated by commas, a
     * {@code cluster:} prefix for an Aurora cluster.
     */
    Optional<String> databases();

    /** The source-replication state machine ({@code REPLICATOR_FLEET_SOURCE_STATE_MACHINE_ARN}). */
    Optional<String> sourceStateMachineArn();

    /** DB snapshot copies in progress at once in this account and Region ({@code InstanceCopyQuota}). */
    @WithDefault("20")
    int instanceCopyQuota();

    /** DB cluster snapshot copies in progress at once ({@code ClusterCopyQuota}). */
    @WithDefault("5")
    int clusterCopyQuota();
}
