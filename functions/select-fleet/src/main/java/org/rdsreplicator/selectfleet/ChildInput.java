package org.rdsreplicator.selectfleet;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The input of one child execution of source-replication: exactly one of the two fields (the other is left out of
 * the JSON, so the child's Check input sees one identifier).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChildInput(String dbInstanceIdentifier, String dbClusterIdentifier) {
}
