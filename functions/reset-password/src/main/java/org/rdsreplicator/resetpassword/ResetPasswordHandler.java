package org.rdsreplicator.resetpassword;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code reset-password} (destination account): makes the database secret's password the master
 * password of a managed instance, and completes only when it is in effect.
 * <p>
 * Input {@link ResetPasswordRequest}; output {@link ResetPasswordResult}: the instance (for an Aurora cluster,
 * {@code dbClusterIdentifier}: the cluster, its password set with {@code ModifyDBCluster}). Invoked with
 * {@code .waitForTaskToken} by {@code destination-restore} (a freshly restored instance keeps the source's
 * password) and by {@code rollback} (the secret's password may have changed since the instance was current).
 * {@code ModifyDBInstance(MasterUserPassword, ApplyImmediately)} is asynchronous: the task completes when the
 * event router (RDS-EVENT-0016, confirmed by Describe) or this call sees the instance {@code available} with
 * no master password pending.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code InstanceNotFoundException}, {@code NotManagedException}, {@code ConfigurationException} (the secret's
 * username is not the instance's master user, or it has no password), {@code InstanceNotAvailableException}
 * (retried), {@code ResourceBusyException} (retried), {@code WaitConflictException}, {@code TransientAwsException}
 * (retried).
 */
@Named("reset-password")
@StepHandler
public class ResetPasswordHandler implements RequestHandler<ResetPasswordRequest, ResetPasswordResult> {

    @Inject
    ResetPasswordService service;

    @Override
    public ResetPasswordResult handleRequest(ResetPasswordRequest input, Context context) {
        return service.reset(input);
    }
}
