package org.rdsreplicator.common.errors;

/** Thrown when a wait timed out more often than the configured number of re-arms allows. */
public class WaitExhaustedException extends ReplicationException {
    public WaitExhaustedException(String message) {
        super(message);
    }

    public WaitExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
