package org.rdsreplicator.common.errors;

/** Thrown when an input payload misses a required field or carries an invalid value; nothing was changed. */
public class InvalidInputException extends ReplicationException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
