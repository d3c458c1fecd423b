package org.rdsreplicator.common.errors;

/**
 * Thrown when another run (replication or rollback) of the same destination is promoting (switching the
 * secret or pruning): runs never interleave those steps, so this one is retried until the other has finished.
 */
public class PromotionInProgressException extends ReplicationException {
    public PromotionInProgressException(String message) {
        super(message);
    }
}
