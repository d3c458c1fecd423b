package org.rdsreplicator.common.errors;

/** Thrown when an AWS API keeps throttling after the SDK's own retries; retried by the state machine. */
public class ThrottledException extends ReplicationException {
    public ThrottledException(String message) {
        super(message);
    }

    public ThrottledException(String message, Throwable cause) {
        super(message, cause);
    }
}
