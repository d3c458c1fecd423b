package org.rdsreplicator.common.errors;

/** Thrown when another replication already waits on the same RDS resource. */
public class WaitConflictException extends ReplicationException {
    public WaitConflictException(String message) {
        super(message);
    }

    public WaitConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
