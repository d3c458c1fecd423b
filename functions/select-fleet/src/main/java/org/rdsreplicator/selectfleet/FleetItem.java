package org.rdsreplicator.selectfleet;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One database of a fleet run: one item of the fleet's Map.
 *
 * @param database            the DB instance or DB cluster identifier
 * @param kind                {@code instance} or {@code cluster}
 * @param input               the child execution's input
 * @param executionName       the child execution's name: derived from the fleet execution's name and the database,
 *                            so a retried start finds the child it already started
 * @param runningExecutionArn a source replication of this database already running (started by an earlier fleet
 *                            run or on demand): the fleet does not start a second one and reports it superseded;
 *                            null otherwise
 */
@RegisterForReflection
public record FleetItem(String database, String kind, ChildInput input, String executionName,
        String runningExecutionArn) {
}
