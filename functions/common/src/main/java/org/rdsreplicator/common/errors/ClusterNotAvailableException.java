package org.rdsreplicator.common.errors;

/**
 * Thrown when an Aurora DB cluster exists but is not {@code available} (a backup, a modification, a stopped
 * cluster); retried by the state machine like {@link InstanceNotAvailableException}.
 */
public class ClusterNotAvailableException extends ReplicationException {
    public ClusterNotAvailableException(String message) {
        super(message);
    }
}
