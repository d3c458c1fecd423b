package org.rdsreplicator.handlefailure;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code handle-failure}: the Catch target of both state machines.
 * <p>
 * Input {@link FailureRequest} ({@code replicationId}, {@code failedStep}, {@code error} with
 * {@code Error}/{@code Cause}, {@code executionArn}). Deletes this replication's managed snapshots and,
 * on the destination side (secret configured), its managed instances other than the one the secret
 * names and other than deletion-protected ones; releases their waits; publishes a JSON alert to the
 * alerts topic. Output {@link FailureReport}: the deleted ARNs and the alert's SNS message id.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException} (no valid
 * replicationId; nothing done), {@code ConfigurationException} (no alerts topic; nothing done),
 * {@code TransientAwsException} and {@code AlertNotPublishedException} (the alert could not be published).
 * A failed delete does not fail the call: it is listed in the alert.
 */
@Named("handle-failure")
@StepHandler
public class HandleFailureHandler implements RequestHandler<FailureRequest, FailureReport> {

    @Inject
    HandleFailureService service;

    @Override
    public FailureReport handleRequest(FailureRequest input, Context context) {
        return service.handle(input);
    }
}
