package org.rdsreplicator.common.errors;

/** Thrown when the named DB instance does not exist in this account and Region. */
public class InstanceNotFoundException extends ReplicationException {
    public InstanceNotFoundException(String message) {
        super(message);
    }

    public InstanceNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
