package org.rdsreplicator.common.errors;

/** Thrown when a DB instance exists but is not in the state the step needs (usually {@code available}); retried by the state machine. */
public class InstanceNotAvailableException extends ReplicationException {
    public InstanceNotAvailableException(String message) {
        super(message);
    }

    public InstanceNotAvailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
