package org.rdsreplicator.common.errors;

/** Thrown by verify-copy when no database session could be opened with the instance: connection refused, no answer within the time box, or TLS refused. Terminal. The message never carries a credential. */
public class DatabaseUnreachableException extends ReplicationException {
    public DatabaseUnreachableException(String message) {
        super(message);
    }
}
