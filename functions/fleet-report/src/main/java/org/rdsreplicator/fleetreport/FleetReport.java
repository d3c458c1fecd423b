package org.rdsreplicator.fleetreport;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The fleet execution's output, and (when anything failed) the alert.
 *
 * @param fleet          the fleet execution's name
 * @param totals         counts by outcome
 * @param databases      one entry per database, instances then clusters, each sorted
 * @param alertMessageId the alert's SNS message id, or null when nothing failed
 */
@RegisterForReflection
public record FleetReport(String fleet, Totals totals, List<DatabaseOutcome> databases, String alertMessageId) {

    /** Counts by outcome. */
    @RegisterForReflection
    public record Totals(int databases, int replicated, int superseded, int failed) {
    }
}
