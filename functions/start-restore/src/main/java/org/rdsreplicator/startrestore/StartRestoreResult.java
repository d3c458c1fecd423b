package org.rdsreplicator.startrestore;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of start-restore: what happened to each delivered record.
 *
 * @param outcomes one entry per record of the SNS event, in order
 */
@RegisterForReflection
public record StartRestoreResult(List<Outcome> outcomes) {

    /** What start-restore did with one record. */
    public enum Status {
        /** A destination-restore execution was started (or AWS returned the identical running one). */
        STARTED,
        /** An execution named after this replication already exists: a redelivered message, nothing started. */
        DUPLICATE,
        /** The message failed validation: logged, alerted, nothing started, not retried. */
        REJECTED
    }

    /**
     * @param messageId     the SNS message id
     * @param replicationId the replication id from the message (null when it could not be read)
     * @param status        see {@link Status}
     * @param executionArn  the execution started or found (null when rejected)
     * @param reason        why the message was rejected (null otherwise)
     */
    @RegisterForReflection
    public record Outcome(String messageId, String replicationId, Status status, String executionArn,
            String reason) {
    }
}
