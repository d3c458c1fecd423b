package org.rdsreplicator.rollback;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of rollback's check: the instance the rollback workflow resets the password of and switches to.
 *
 * @param dbInstanceIdentifier the retained earlier instance (managed, available, not current)
 * @param previousInstance     the instance the secret names now
 * @param secretVersionId      the secret version read for the check
 * @param dbClusterIdentifier  for an Aurora cluster's rollback: the retained earlier cluster (then
 *                             {@code dbInstanceIdentifier} is null and {@code previousInstance} is the cluster the
 *                             secret names now)
 */
@RegisterForReflection
public record RollbackTarget(String dbInstanceIdentifier, String previousInstance, String secretVersionId,
        String dbClusterIdentifier) {

    /** The target of an instance's rollback. */
    public RollbackTarget(String dbInstanceIdentifier, String previousInstance, String secretVersionId) {
        this(dbInstanceIdentifier, previousInstance, secretVersionId, null);
    }
}
