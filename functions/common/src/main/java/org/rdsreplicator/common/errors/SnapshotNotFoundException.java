package org.rdsreplicator.common.errors;

/** Thrown when a DB snapshot the step needs does not exist (or is not shared with this account). */
public class SnapshotNotFoundException extends ReplicationException {
    public SnapshotNotFoundException(String message) {
        super(message);
    }

    public SnapshotNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
