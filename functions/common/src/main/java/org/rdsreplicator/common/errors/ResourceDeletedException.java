package org.rdsreplicator.common.errors;

/** Thrown (and sent as task failure) when an RDS resource this run waits for was deleted. */
public class ResourceDeletedException extends ReplicationException {
    public ResourceDeletedException(String message) {
        super(message);
    }

    public ResourceDeletedException(String message, Throwable cause) {
        super(message, cause);
    }
}
