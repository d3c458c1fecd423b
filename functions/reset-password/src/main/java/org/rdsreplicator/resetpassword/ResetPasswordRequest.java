package org.rdsreplicator.resetpassword;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of reset-password.
 *
 * @param replicationId        the run (replication, or rollback execution) the reset is for (required)
 * @param dbInstanceIdentifier the managed instance whose master password is set from the secret (required)
 * @param taskToken            the Step Functions task token ({@code $$.Task.Token}); absent when invoked by hand
 * @param dbClusterIdentifier  instead of an instance, the managed Aurora cluster whose master password is set (on
 *                             Aurora the password belongs to the cluster); exactly one of the two is given
 */
@RegisterForReflection
public record ResetPasswordRequest(String replicationId, String dbInstanceIdentifier, String taskToken,
        String dbClusterIdentifier) implements HasReplicationId {

    /** A reset of an instance's password. */
    public ResetPasswordRequest(String replicationId, String dbInstanceIdentifier, String taskToken) {
        this(replicationId, dbInstanceIdentifier, taskToken, null);
    }

    @Override
    public String toString() {
        return "ResetPasswordRequest[replicationId=" + replicationId + ", dbInstanceIdentifier=" + dbInstanceIdentifier
                + ", dbClusterIdentifier=" + dbClusterIdentifier + ", taskToken=" + (taskToken == null ? null : "****")
                + "]";
    }
}
