package org.rdsreplicator.handlefailure;

import org.rdsreplicator.common.handler.HasReplicationId;
import org.rdsreplicator.common.records.StepFailure;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of handle-failure, built by a state machine's Catch.
 *
 * @param replicationId the failed replication (required): only resources tagged with it are cleaned up
 * @param failedStep    the state that failed, e.g. {@code Restore instance}
 * @param error         what the Catch put at {@code $.error}: {@code Error} (the error name) and {@code Cause}
 * @param executionArn  the execution ({@code $$.Execution.Id}), for the operator
 * @param mode          {@code cleanup} (default: delete what the run made on its side, release its promotion lock,
 *                      alert), {@code alert} (alert only, nothing listed or deleted: the fallback when cleanup itself
 *                      failed or timed out, and source-retention failures) or {@code notice} (an informational
 *                      alert, e.g. a superseded run; nothing deleted)
 * @param side          {@code source} or {@code destination}: the workflow that failed (with {@code Role=both} one
 *                      account runs both); when absent it is told from {@code failedStep}
 */
@RegisterForReflection
public record FailureRequest(String replicationId, String failedStep, StepFailure error, String executionArn,
        String mode, String side) implements HasReplicationId {

    public static final String CLEANUP = "cleanup";
    public static final String ALERT = "alert";
    public static final String NOTICE = "notice";

    /** A failure with the default mode (cleanup) and the side told from the step. */
    public FailureRequest(String replicationId, String failedStep, StepFailure error, String executionArn) {
        this(replicationId, failedStep, error, executionArn, null, null);
    }
}
