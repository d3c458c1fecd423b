package org.rdsreplicator.selectfleet;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of select-fleet.
 *
 * @param selectedBy          {@code input} (the list given on demand), {@code list} (the stack's FleetDatabases) or
 *                            {@code tags} (databases tagged FleetTagKey=FleetTagValue)
 * @param instances           DB instances, sorted by identifier, each once
 * @param clusters            Aurora DB clusters, sorted by identifier, each once
 * @param instanceConcurrency MaxConcurrency of the instances' Map
 * @param clusterConcurrency  MaxConcurrency of the clusters' Map
 */
@RegisterForReflection
public record SelectFleetResult(String selectedBy, List<FleetItem> instances, List<FleetItem> clusters,
        int instanceConcurrency, int clusterConcurrency) {
}
