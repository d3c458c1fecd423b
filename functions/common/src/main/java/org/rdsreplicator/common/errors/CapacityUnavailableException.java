package org.rdsreplicator.common.errors;

/** Thrown when RDS has no capacity for the requested instance class in the Availability Zone (InsufficientDBInstanceCapacity); retried with backoff. */
public class CapacityUnavailableException extends ReplicationException {
    public CapacityUnavailableException(String message) {
        super(message);
    }

    public CapacityUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
