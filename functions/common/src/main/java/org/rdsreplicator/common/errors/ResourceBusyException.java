package org.rdsreplicator.common.errors;

/** Thrown when RDS reports an invalid state for a resource that is busy (for example a snapshot still being created); retried. */
public class ResourceBusyException extends ReplicationException {
    public ResourceBusyException(String message) {
        super(message);
    }

    public ResourceBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
