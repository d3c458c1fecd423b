package org.rdsreplicator.common.errors;

/** Thrown when the database secret cannot be read or is not a JSON document in the RDS layout; raised before anything is changed. */
public class SecretUnreadableException extends ReplicationException {
    public SecretUnreadableException(String message) {
        super(message);
    }

    public SecretUnreadableException(String message, Throwable cause) {
        super(message, cause);
    }
}
