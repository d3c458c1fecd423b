package org.rdsreplicator.preflightsource;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of preflight-source.
 *
 * @param replicationId        id of this replication (required; the execution name)
 * @param dbInstanceIdentifier the source instance (required)
 * @param requestedAt          ISO-8601 start of the replication ({@code $$.Execution.StartTime}): the names the run
 *                             would give its snapshots derive from it (required)
 * @param dryRun               true: also plan the run (snapshot names, retention) and build the dry run's message
 * @param dbClusterIdentifier  the source Aurora DB cluster, instead of dbInstanceIdentifier (exactly one is given)
 */
@RegisterForReflection
public record PreflightSourceRequest(String replicationId, String dbInstanceIdentifier, String requestedAt,
        Boolean dryRun, String dbClusterIdentifier) implements HasReplicationId {

    /** An instance's request. */
    public PreflightSourceRequest(String replicationId, String dbInstanceIdentifier, String requestedAt, Boolean dryRun) {
        this(replicationId, dbInstanceIdentifier, requestedAt, dryRun, null);
    }
}
