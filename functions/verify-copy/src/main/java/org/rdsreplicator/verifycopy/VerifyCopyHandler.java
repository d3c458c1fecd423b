package org.rdsreplicator.verifycopy;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code verify-copy} (destination account, in the destination's VPC): before the secret is pointed at a
 * new instance, opens a real database session to it with the exact username and password the secret carries
 * (TLS required), runs the validation query and checks its row count.
 * <p>
 * Input {@link VerifyCopyRequest}; output {@link VerifyCopyResult}. Invoked by {@code destination-restore} and
 * {@code rollback} between {@code Set master password} and {@code Switch endpoint}.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code EndpointNotResolvableException} (retried),
 * {@code DatabaseUnreachableException}, {@code DatabaseLoginFailedException},
 * {@code ValidationQueryFailedException}, {@code StaleCopyException}, {@code InvalidInputException},
 * {@code InstanceNotFoundException}, {@code NotManagedException}, {@code ConfigurationException},
 * {@code InstanceNotAvailableException} (retried), {@code TransientAwsException} (retried).
 */
@Named("verify-copy")
@StepHandler
public class VerifyCopyHandler implements RequestHandler<VerifyCopyRequest, VerifyCopyResult> {

    @Inject
    VerifyCopyService service;

    @Override
    public VerifyCopyResult handleRequest(VerifyCopyRequest input, Context context) {
        long remainingMs = context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis();
        return service.verify(input, remainingMs);
    }
}
