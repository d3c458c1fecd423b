package org.rdsreplicator.common.errors;

/** Thrown when a step is asked to act on an RDS resource that does not carry this system's managed-by tag; nothing was changed. */
public class NotManagedException extends ReplicationException {
    public NotManagedException(String message) {
        super(message);
    }

    public NotManagedException(String message, Throwable cause) {
        super(message, cause);
    }
}
