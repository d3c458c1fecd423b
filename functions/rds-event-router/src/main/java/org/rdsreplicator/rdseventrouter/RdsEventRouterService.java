package org.rdsreplicator.rdseventrouter;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.records.RdsEvent;
import org.rdsreplicator.common.wait.WaitCompleter;

/**
 * Turns an {@code aws.rds} EventBridge event into at most one task completion. The event only says
 * "look at this resource now": what happens is decided by the wait registry and a Describe call in
 * {@link WaitCompleter#settle}, never by the event's own text. That is what makes duplicate, late
 * and out-of-order events harmless: a second event finds the wait already claimed or gone, and a
 * stale "creating" event after completion finds no wait at all.
 */
@ApplicationScoped
public class RdsEventRouterService {
    private static final Logger LOG = Logger.getLogger(RdsEventRouterService.class);

    private final WaitCompleter completer;

    public RdsEventRouterService(WaitCompleter completer) {
        this.completer = completer;
    }

    /**
     * Routes one event.
     *
     * @throws InvalidInputException when the event is not an {@code aws.rds} event with a parsable RDS
     *                               resource ARN (nothing is read or changed)
     */
    public RouteResult route(RdsEvent event) {
        RdsArn arn = validate(event);
        String eventId = event.eventId();
        if (!arn.isSnapshot() && !arn.isInstance() && !arn.isCluster() && !arn.isClusterSnapshot()) {
            LOG.infof("ignoring %s (%s) for %s: no step waits for resources of type '%s'", eventId,
                    event.detailType(), arn, arn.type());
            return new RouteResult(arn.toString(), eventId, RouteResult.IGNORED);
        }
        WaitCompleter.Outcome outcome = completer.settle(arn.toString(), false);
        switch (outcome) {
            case NO_WAIT -> LOG.infof("ignoring %s for %s: no wait is registered for it (not ours, or already completed)",
                    eventId, arn);
            case ALREADY_CLAIMED -> LOG.infof("%s for %s: another event completed the wait first", eventId, arn);
            default -> LOG.infof("%s for %s: %s", eventId, arn, outcome);
        }
        return new RouteResult(arn.toString(), eventId, outcome.name());
    }

    private static RdsArn validate(RdsEvent event) {
        if (event == null) {
            throw reject(null, "the event is empty");
        }
        if (!RdsEvent.SOURCE.equals(event.source())) {
            throw reject(event, "source is '" + event.source() + "', expected '" + RdsEvent.SOURCE + "'");
        }
        if (event.detail() == null) {
            throw reject(event, "it has no 'detail' object");
        }
        String resourceArn = event.resourceArn();
        if (resourceArn == null || resourceArn.isBlank()) {
            throw reject(event, "it names no resource (no detail.SourceArn and no resources[])");
        }
        try {
            return RdsArn.parse(resourceArn);
        } catch (InvalidInputException e) {
            throw reject(event, e.getMessage());
        }
    }

    private static InvalidInputException reject(RdsEvent event, String why) {
        String id = event == null ? "(none)" : event.id();
        String eventId = event == null ? "(none)" : event.eventId();
        String message = "rejected RDS event id=" + id + " EventID=" + eventId + ": " + why;
        LOG.error(message);
        return new InvalidInputException(message);
    }
}
