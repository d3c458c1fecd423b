package org.rdsreplicator.handlefailure;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of handle-failure.
 *
 * @param replicationId  the failed replication
 * @param failedStep     the state that failed
 * @param deleted        ARNs of the snapshots and instances whose deletion was started
 * @param alertMessageId the SNS message id of the alert
 */
@RegisterForReflection
public record FailureReport(String replicationId, String failedStep, List<String> deleted, String alertMessageId) {
}
