package org.rdsreplicator.common.errors;

/** Thrown when RDS refuses a new manual snapshot because the account's snapshot quota is reached. */
public class SnapshotQuotaExceededException extends ReplicationException {
    public SnapshotQuotaExceededException(String message) {
        super(message);
    }

    public SnapshotQuotaExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
