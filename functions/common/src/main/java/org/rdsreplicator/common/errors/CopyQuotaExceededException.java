package org.rdsreplicator.common.errors;

/** Thrown when RDS refuses a copy because too many snapshot copies are in progress; retried with backoff. */
public class CopyQuotaExceededException extends ReplicationException {
    public CopyQuotaExceededException(String message) {
        super(message);
    }

    public CopyQuotaExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
