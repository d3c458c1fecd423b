package org.rdsreplicator.common.errors;

/** Thrown when the failure alert cannot be published to the alerts SNS topic (the failure would go unreported). */
public class AlertNotPublishedException extends ReplicationException {
    public AlertNotPublishedException(String message) {
        super(message);
    }

    public AlertNotPublishedException(String message, Throwable cause) {
        super(message, cause);
    }
}
