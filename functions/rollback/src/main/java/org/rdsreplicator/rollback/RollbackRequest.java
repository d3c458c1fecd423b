package org.rdsreplicator.rollback;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of rollback (the rollback workflow's input: {@code {"dbInstanceIdentifier": "...", "reason": "..."}},
 * with the execution name as {@code replicationId}).
 *
 * @param replicationId        the rollback execution's name (required): the run id in logs and tags
 * @param dbInstanceIdentifier the retained earlier instance the secret is to point at again (required)
 * @param reason               why (optional, free text up to 256 characters): written to the log
 * @param dbClusterIdentifier  instead of an instance, the retained earlier Aurora cluster (the workflow's input
 *                             {@code {"dbClusterIdentifier": "...", "reason": "..."}})
 */
@RegisterForReflection
public record RollbackRequest(String replicationId, String dbInstanceIdentifier, String reason,
        String dbClusterIdentifier) implements HasReplicationId {

    /** A rollback to an instance. */
    public RollbackRequest(String replicationId, String dbInstanceIdentifier, String reason) {
        this(replicationId, dbInstanceIdentifier, reason, null);
    }
}
