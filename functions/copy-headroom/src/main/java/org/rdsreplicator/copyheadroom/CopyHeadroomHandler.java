package org.rdsreplicator.copyheadroom;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code copy-headroom}.
 * <p>
 * Input {@link CopyHeadroomRequest} (invoked with {@code .waitForTaskToken} by {@code <copy step>: wait for
 * headroom}); output {@link CopyHeadroomResult}. The task completes when a copy of the same account, Region and
 * kind settles (oldest waiter first), or at once when a slot is free; its timeout invokes it again to re-check.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code ConfigurationException}, {@code TransientAwsException}.
 */
@Named("copy-headroom")
@StepHandler
public class CopyHeadroomHandler implements RequestHandler<CopyHeadroomRequest, CopyHeadroomResult> {

    @Inject
    CopyHeadroomService service;

    @Override
    public CopyHeadroomResult handleRequest(CopyHeadroomRequest input, Context context) {
        return service.await(input);
    }
}
