package org.rdsreplicator.selectfleet;

import org.rdsreplicator.common.handler.HasReplicationId;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of select-fleet.
 *
 * @param replicationId the fleet execution's name (names the child executions)
 * @param input         the fleet execution's input: {@code {}} (the stack's selection) or
 *                      {@code {"databases": [{"dbInstanceIdentifier": "a"}, {"dbClusterIdentifier": "b"}]}}; checked
 *                      here field by field, so it stays a JSON tree
 */
@RegisterForReflection
public record SelectFleetRequest(String replicationId, JsonNode input) implements HasReplicationId {
}
