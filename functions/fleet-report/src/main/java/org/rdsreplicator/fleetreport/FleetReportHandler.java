package org.rdsreplicator.fleetreport;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code fleet-report}.
 * <p>
 * Input {@link FleetReportRequest}; output {@link FleetReport}: per database {@code replicated}, {@code superseded}
 * or {@code failed} (with the child's named error and failed step) and the time its child took, with totals;
 * published to the alerts topic (one message) when anything failed. Reads the child executions only.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code ConfigurationException}, {@code AlertNotPublishedException}, {@code TransientAwsException}.
 */
@Named("fleet-report")
@StepHandler
public class FleetReportHandler implements RequestHandler<FleetReportRequest, FleetReport> {

    @Inject
    FleetReportService service;

    @Override
    public FleetReport handleRequest(FleetReportRequest input, Context context) {
        return service.report(input);
    }
}
