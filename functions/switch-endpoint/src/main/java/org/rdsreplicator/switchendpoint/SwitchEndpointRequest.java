package org.rdsreplicator.switchendpoint;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of switch-endpoint.
 *
 * @param replicationId        id of the run (replication or rollback) that prepared the instance (required); also
 *                             the idempotency key of the secret write and the owner of the promotion lock
 * @param dbInstanceIdentifier the instance the secret is to point at (required)
 * @param rollback             true for the rollback workflow: the switch may go back in time, and the promotion lock
 *                             is released at once (no retention step follows)
 * @param dbClusterIdentifier  instead of an instance, the Aurora cluster whose writer endpoint the secret is to name
 *                             (exactly one of the two is given)
 */
@RegisterForReflection
public record SwitchEndpointRequest(String replicationId, String dbInstanceIdentifier, Boolean rollback,
        String dbClusterIdentifier) implements HasReplicationId {

    /** A switch to an instance. */
    public SwitchEndpointRequest(String replicationId, String dbInstanceIdentifier, Boolean rollback) {
        this(replicationId, dbInstanceIdentifier, rollback, null);
    }

    public boolean isRollback() {
        return Boolean.TRUE.equals(rollback);
    }
}
