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
 */
@RegisterForReflection
public record RollbackRequest(String replicationId, String dbInstanceIdentifier, String reason)
        implements HasReplicationId {
}
