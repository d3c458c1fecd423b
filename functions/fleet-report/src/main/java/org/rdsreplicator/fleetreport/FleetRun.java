package org.rdsreplicator.fleetreport;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One database as the fleet's Map left it: the item select-fleet made, plus the error of its child when it failed or
 * could not be started.
 *
 * @param database            the DB instance or cluster identifier
 * @param kind                {@code instance} or {@code cluster}
 * @param executionName       the child execution's name
 * @param runningExecutionArn the replication already running that superseded this one, or null
 * @param startError          the Map item's caught error ({@code Error}, {@code Cause}), or null
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetRun(String database, String kind, String executionName, String runningExecutionArn,
        RunError startError) {

    /** A caught error as Step Functions writes it. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunError(@JsonProperty("Error") String error, @JsonProperty("Cause") String cause) {
    }
}
