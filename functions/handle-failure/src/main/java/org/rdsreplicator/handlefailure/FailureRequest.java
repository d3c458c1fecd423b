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
 */
@RegisterForReflection
public record FailureRequest(String replicationId, String failedStep, StepFailure error, String executionArn)
        implements HasReplicationId {
}
