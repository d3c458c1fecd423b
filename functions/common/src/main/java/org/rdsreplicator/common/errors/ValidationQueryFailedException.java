package org.rdsreplicator.common.errors;

/** Thrown by verify-copy when the validation query fails on the new instance (syntax, missing table, permission, statement timeout). Terminal. The message never carries a credential. */
public class ValidationQueryFailedException extends ReplicationException {
    public ValidationQueryFailedException(String message) {
        super(message);
    }
}
