package org.rdsreplicator.common.errors;

/** Thrown when an AWS call failed in a way that may pass (throttling, a 5xx, a client timeout or connection error); retried by the state machine. */
public class TransientAwsException extends ReplicationException {
    public TransientAwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
