package org.rdsreplicator.common.errors;

/** Thrown (and sent as task failure) when an RDS resource this run waits for ended in a failed state. */
public class ResourceFailedException extends ReplicationException {
    public ResourceFailedException(String message) {
        super(message);
    }

    public ResourceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
