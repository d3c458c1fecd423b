package org.rdsreplicator.rdseventrouter;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.records.RdsEvent;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code rds-event-router}, the target of the EventBridge rule on {@code aws.rds} events.
 * <p>
 * Input: an EventBridge event ({@link RdsEvent}: {@code detail-type} {@code RDS DB Snapshot Event} or
 * {@code RDS DB Instance Event}, {@code detail.SourceArn}, {@code detail.EventID}, ...). Output:
 * {@link RouteResult} with the resource ARN, the EventID and the outcome ({@code NO_WAIT},
 * {@code PENDING}, {@code SUCCEEDED}, {@code FAILED}, {@code ALREADY_CLAIMED}, {@code STALE_TOKEN} or
 * {@code IGNORED}). A task whose token is already spent (timed out, finished) does not fail the call.
 * <p>
 * Errors: {@code org.rdsreplicator.common.errors.InvalidInputException} for a malformed event (not
 * {@code aws.rds}, no detail, no parsable RDS ARN); AWS SDK errors of DynamoDB, RDS or Step
 * Functions propagate so that EventBridge's asynchronous retries apply.
 * Task failures it sends name {@code org.rdsreplicator.common.errors.ResourceFailedException} and
 * {@code org.rdsreplicator.common.errors.ResourceDeletedException}.
 */
@Named("rds-event-router")
@StepHandler
public class RdsEventRouterHandler implements RequestHandler<RdsEvent, RouteResult> {

    @Inject
    RdsEventRouterService service;

    @Override
    public RouteResult handleRequest(RdsEvent input, Context context) {
        return service.route(input);
    }
}
