package org.rdsreplicator.common.errors;

/** Thrown when a replication message fails validation (unknown schema version, foreign account or snapshot, missing field); the message is rejected with an alert and never retried. */
public class InvalidMessageException extends ReplicationException {
    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
