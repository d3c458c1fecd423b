package org.rdsreplicator.common.errors;

/** Thrown by verify-copy when the new instance's endpoint does not resolve in DNS yet (a fresh instance's name can take a moment to appear); retried by the state machine. The message never carries a credential. */
public class EndpointNotResolvableException extends ReplicationException {
    public EndpointNotResolvableException(String message) {
        super(message);
    }
}
