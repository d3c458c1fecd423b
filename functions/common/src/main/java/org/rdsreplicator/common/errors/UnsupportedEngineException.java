package org.rdsreplicator.common.errors;

/**
 * Thrown by the source preflight when the instance's engine is not one this system replicates (an Aurora or
 * RDS Custom engine, or an instance that belongs to a DB cluster): nothing was created.
 */
public class UnsupportedEngineException extends ReplicationException {
    public UnsupportedEngineException(String message) {
        super(message);
    }
}
