package org.rdsreplicator.common.errors;

/** Thrown when restoring would exceed the account's DB instance or storage quota; needs an operator (raise the quota or prune instances). */
public class InstanceQuotaExceededException extends ReplicationException {
    public InstanceQuotaExceededException(String message) {
        super(message);
    }

    public InstanceQuotaExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
