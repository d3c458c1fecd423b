package org.rdsreplicator.common.errors;

/**
 * Base of every named error this project raises. The Lambda runtime reports a failed invocation
 * with the fully qualified class name of the exception as {@code errorType}; the state machines'
 * {@code ErrorEquals} use exactly those names (pinned by a test).
 */
public abstract class ReplicationException extends RuntimeException {
    protected ReplicationException(String message) {
        super(message);
    }

    protected ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
