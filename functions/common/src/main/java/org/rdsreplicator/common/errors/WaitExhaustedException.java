package org.rdsreplicator.common.errors;

/**
 * The error a workflow reports when an RDS wait timed out more often than the re-arm limit allows (set by
 * the state machine's "waited too long" state; named here so alerts and ErrorEquals share one name).
 */
public class WaitExhaustedException extends ReplicationException {
    public WaitExhaustedException(String message) {
        super(message);
    }

    public WaitExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
