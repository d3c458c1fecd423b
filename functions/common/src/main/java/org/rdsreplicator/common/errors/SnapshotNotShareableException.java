package org.rdsreplicator.common.errors;

/**
 * Thrown by the source preflight when a snapshot of the instance could not be shared with another account:
 * its option group has a permanent or persistent option, or transparent data encryption (TDE). Nothing was
 * created.
 */
public class SnapshotNotShareableException extends ReplicationException {
    public SnapshotNotShareableException(String message) {
        super(message);
    }
}
