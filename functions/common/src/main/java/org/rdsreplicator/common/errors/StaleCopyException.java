package org.rdsreplicator.common.errors;

/** Thrown by verify-copy when the validation query returns fewer rows than the configured minimum: the copy is stale or truncated and is not promoted. Terminal. */
public class StaleCopyException extends ReplicationException {
    public StaleCopyException(String message) {
        super(message);
    }
}
