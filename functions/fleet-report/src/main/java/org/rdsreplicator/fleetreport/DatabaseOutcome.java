package org.rdsreplicator.fleetreport;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The outcome of one database in a fleet run.
 *
 * @param database     the DB instance or cluster identifier
 * @param kind         {@code instance} or {@code cluster}
 * @param outcome      {@code replicated} (its source replication succeeded: snapshot copied, shared and announced),
 *                     {@code superseded} (a replication of it was already running, not started again) or
 *                     {@code failed}
 * @param executionArn its source-replication execution (for superseded: the one already running)
 * @param startedAt    when that execution started (ISO-8601), if known
 * @param stoppedAt    when it stopped, if it did
 * @param seconds      the time it took, if it stopped
 * @param error        for failed: the named error ({@code org.rdsreplicator.common.errors.*}, or Step Functions')
 * @param failedStep   for failed: the state that failed, when the run got that far
 * @param cause        for failed: the error's message
 */
@RegisterForReflection
public record DatabaseOutcome(String database, String kind, String outcome, String executionArn, String startedAt,
        String stoppedAt, Long seconds, String error, String failedStep, String cause) {
}
