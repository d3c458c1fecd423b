package org.rdsreplicator.common.errors;

/** Thrown when the named Aurora DB cluster does not exist in this account and Region. */
public class ClusterNotFoundException extends ReplicationException {
    public ClusterNotFoundException(String message) {
        super(message);
    }

    public ClusterNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
