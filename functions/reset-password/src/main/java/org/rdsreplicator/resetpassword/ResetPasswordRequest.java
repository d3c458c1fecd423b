package org.rdsreplicator.resetpassword;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of reset-password.
 *
 * @param replicationId        the run (replication, or rollback execution) the reset is for (required)
 * @param dbInstanceIdentifier the managed instance whose master password is set from the secret (required)
 * @param taskToken            the Step Functions task token ({@code $$.Task.Token}); absent when invoked by hand
 */
@RegisterForReflection
public record ResetPasswordRequest(String replicationId, String dbInstanceIdentifier, String taskToken)
        implements HasReplicationId {
}
