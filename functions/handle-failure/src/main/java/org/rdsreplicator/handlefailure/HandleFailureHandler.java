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
 * {@code Error}/{@code Cause}, {@code executionArn}). Deletes what this replication made on the side
 * whose workflow failed (told by {@code failedStep}): source, its source snapshot and shareable copy;
 * destination, its local copy and (secret configured) its instances other than the one the secret names,
 * deletion-protected ones and {@code role=current} ones. Releases their waits; publishes a JSON alert to
 * the alerts topic. Output {@link FailureReport}: the deleted ARNs and the alert's SNS message id.
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
