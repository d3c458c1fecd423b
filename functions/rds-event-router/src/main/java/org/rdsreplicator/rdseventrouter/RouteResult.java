package org.rdsreplicator.rdseventrouter;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of rds-event-router: what the event led to.
 *
 * @param resourceArn the RDS resource the event is about
 * @param eventId     the event's {@code detail.EventID}, e.g. {@code RDS-EVENT-0042}
 * @param outcome     a {@link org.rdsreplicator.common.wait.WaitCompleter.Outcome} name
 *                    ({@code NO_WAIT}, {@code PENDING}, {@code SUCCEEDED}, {@code FAILED},
 *                    {@code ALREADY_CLAIMED}, {@code STALE_TOKEN}), or {@link #IGNORED} for resource
 *                    types no step waits for
 */
@RegisterForReflection
public record RouteResult(String resourceArn, String eventId, String outcome) {

    /** Outcome of an event about a resource type no step waits for (clusters, parameter groups, ...). */
    public static final String IGNORED = "IGNORED";
}
