package org.rdsreplicator.common.errors;

/**
 * Thrown when the secret would be pointed at an instance whose master password was never set from the
 * secret: clients would get credentials that do not log in.
 */
public class PasswordNotInEffectException extends ReplicationException {
    public PasswordNotInEffectException(String message) {
        super(message);
    }
}
