package org.rdsreplicator.handlefailure;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON document published to the alerts topic.
 *
 * @param type          {@code failure} (a run failed), {@code alert} (a failure reported without cleanup) or
 *                      {@code notice} (informational, e.g. a run superseded by a newer copy)
 * @param replicationId the failed replication
 * @param failedStep    the state that failed
 * @param error         the error name ({@code Error} of the Catch)
 * @param cause         the error's cause text ({@code Cause} of the Catch)
 * @param executionArn  the failed execution
 * @param deleted       ARNs whose deletion was started
 * @param notDeleted    resources of this replication left in place, each {@code "<arn>: <why>"}
 *                      (a delete that failed, the current instance, deletion protection, ...)
 */
@RegisterForReflection
public record FailureAlert(String type, String replicationId, String failedStep, String error, String cause, String executionArn,
        List<String> deleted, List<String> notDeleted) {
}
