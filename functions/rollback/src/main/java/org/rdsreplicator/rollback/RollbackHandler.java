package org.rdsreplicator.rollback;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code rollback}: the first step of the {@code rollback} workflow, which points the database secret
 * back at a retained earlier instance (start it with {@code events/rollback.json} as input, edited to name the
 * instance).
 * <p>
 * Input {@link RollbackRequest} {@code {"replicationId": "<execution name>", "dbInstanceIdentifier": "...",
 * "reason": "..."}}. Checks, changing nothing, that the instance exists, carries the managed-by tag, is
 * {@code available}, is not the one the secret names already, and that the secret's user is its master user.
 * <p>
 * Output {@link RollbackTarget} {@code {"dbInstanceIdentifier", "previousInstance", "secretVersionId"}}.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException} (missing or
 * invalid identifier, reason too long, instance already current), {@code InstanceNotFoundException},
 * {@code NotManagedException}, {@code InstanceNotAvailableException}, {@code ConfigurationException},
 * {@code TransientAwsException}.
 */
@Named("rollback")
@StepHandler
public class RollbackHandler implements RequestHandler<RollbackRequest, RollbackTarget> {

    @Inject
    RollbackService service;

    @Override
    public RollbackTarget handleRequest(RollbackRequest input, Context context) {
        return service.check(input);
    }
}
