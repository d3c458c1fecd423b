package org.rdsreplicator.common.errors;

/** Thrown when the configured KMS key is missing, disabled or not usable by RDS for this operation. */
public class KmsKeyNotUsableException extends ReplicationException {
    public KmsKeyNotUsableException(String message) {
        super(message);
    }

    public KmsKeyNotUsableException(String message, Throwable cause) {
        super(message, cause);
    }
}
