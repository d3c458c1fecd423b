package org.rdsreplicator.common.errors;

/**
 * Thrown when a replication message fails validation (unknown schema version, foreign account or snapshot, missing
 * field): start-restore rejects a received one with an alert and never retries it; notify-destination refuses to
 * publish one (a terminal error of {@code Notify destination}).
 */
public class InvalidMessageException extends ReplicationException {
    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
