package org.rdsreplicator.fleetreport;

import java.util.List;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of fleet-report.
 *
 * @param replicationId the fleet execution's name
 * @param runs          the Parallel's output: one list per Map (instances, clusters) of {@link FleetRun}
 */
@RegisterForReflection
public record FleetReportRequest(String replicationId, List<List<FleetRun>> runs) implements HasReplicationId {
}
