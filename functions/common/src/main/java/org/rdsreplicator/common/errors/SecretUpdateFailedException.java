package org.rdsreplicator.common.errors;

/**
 * Thrown when the database secret could not be rewritten to point at a new instance: the previous
 * version stays current and the new instance is tagged for cleanup.
 */
public class SecretUpdateFailedException extends ReplicationException {
    public SecretUpdateFailedException(String message) {
        super(message);
    }

    public SecretUpdateFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
