package org.rdsreplicator.rollback;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.secret.SwitchResult;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code rollback}: the documented on-demand action that points the database secret back at a
 * retained earlier instance (invoke it with {@code events/rollback.json} edited to name the instance).
 * <p>
 * Input {@link RollbackRequest} {@code {"dbInstanceIdentifier": "...", "reason": "..."}}. The instance
 * must exist, carry the managed-by tag, be {@code available} and not be the one the secret names
 * already. It gets the secret's password as master password (it may have been rotated since), the
 * secret a new version naming it (every other field kept), the instance {@code rds-replicator:role=current}
 * and the instance the secret named until now {@code retired}.
 * <p>
 * Output {@link SwitchResult} {@code {"previousInstance", "currentInstance", "secretVersionId", "changed"}}.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException} (missing or
 * invalid identifier, reason too long, instance already current), {@code InstanceNotFoundException},
 * {@code NotManagedException}, {@code InstanceNotAvailableException}, {@code ResourceBusyException},
 * {@code TransientAwsException}, {@code ConfigurationException}, {@code SecretUpdateFailedException} (the
 * secret could not be written: the previous version stays current and the instance is tagged
 * {@code role=cleanup}).
 */
@Named("rollback")
@StepHandler
public class RollbackHandler implements RequestHandler<RollbackRequest, SwitchResult> {

    @Inject
    RollbackService service;

    @Override
    public SwitchResult handleRequest(RollbackRequest input, Context context) {
        return service.rollback(input);
    }
}
