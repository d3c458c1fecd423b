package org.rdsreplicator.common.wait;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A task token waiting for an RDS resource. Keyed by the resource ARN so that several replications
 * (and later clusters or several Regions) never share a key.
 *
 * @param resourceArn   the RDS resource the step waits for
 * @param taskToken     the Step Functions task token (up to 2048 characters; never logged)
 * @param replicationId the replication the wait belongs to
 * @param step          the state machine step that waits, for logs and alerts
 * @param expiresAt     epoch seconds after which DynamoDB's TTL removes the item
 */
@RegisterForReflection
public record WaitRegistration(String resourceArn, String taskToken, String replicationId, String step, long expiresAt) {

    @Override
    public String toString() {
        // The token is a credential for the execution: keep it out of logs.
        return "WaitRegistration[resourceArn=" + resourceArn + ", replicationId=" + replicationId + ", step=" + step
                + ", expiresAt=" + expiresAt + "]";
    }
}
