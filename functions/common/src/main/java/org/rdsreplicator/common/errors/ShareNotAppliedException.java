package org.rdsreplicator.common.errors;

/**
 * Thrown when, after ModifyDBSnapshotAttribute, the snapshot's {@code restore} attribute still does not
 * list every configured destination account (the share did not take effect); the state machine retries.
 */
public class ShareNotAppliedException extends ReplicationException {
    public ShareNotAppliedException(String message) {
        super(message);
    }

    public ShareNotAppliedException(String message, Throwable cause) {
        super(message, cause);
    }
}
