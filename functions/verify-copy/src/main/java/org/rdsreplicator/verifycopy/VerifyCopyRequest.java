package org.rdsreplicator.verifycopy;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of verify-copy. It carries no credential: the function reads the username and password from the
 * database secret itself, so they never appear in a state's input or output.
 *
 * @param replicationId        the run (replication, or rollback execution) (required)
 * @param dbInstanceIdentifier the managed instance to verify (required)
 * @param rollback             true when the rollback workflow verifies a retained instance: a failure then only
 *                             alerts and does not tag the instance for cleanup
 * @param dbClusterIdentifier  instead of an instance, the managed Aurora cluster to verify, through its writer
 *                             endpoint; exactly one of the two is given
 */
@RegisterForReflection
public record VerifyCopyRequest(String replicationId, String dbInstanceIdentifier, Boolean rollback,
        String dbClusterIdentifier) implements HasReplicationId {

    /** A verification of an instance. */
    public VerifyCopyRequest(String replicationId, String dbInstanceIdentifier, Boolean rollback) {
        this(replicationId, dbInstanceIdentifier, rollback, null);
    }

    boolean isRollback() {
        return Boolean.TRUE.equals(rollback);
    }
}
