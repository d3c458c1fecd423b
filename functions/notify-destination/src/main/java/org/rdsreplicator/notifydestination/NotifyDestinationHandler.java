package org.rdsreplicator.notifydestination;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code notify-destination}.
 * <p>
 * Input {@link NotifyRequest}; output {@link NotifyResult}. Publishes a versioned
 * {@link org.rdsreplicator.common.records.ReplicationMessage} (JSON) about the shared snapshot to the
 * replication topic ({@code REPLICATOR_REPLICATION_TOPIC_ARN}), with message attributes
 * {@code schemaVersion} (Number), {@code sourceAccount}, {@code sourceInstance} and
 * {@code event=snapshot-shared} (String) that subscriptions can filter on. A repeated call publishes
 * again; the destination's start-restore treats the duplicate as the same replication.
 * <p>
 * A {@code cluster-snapshot} ARN (an Aurora cluster's run) is announced with {@code sourceCluster} and
 * {@code engineMode} (required in the input) instead of {@code sourceInstance}, and the message attribute
 * {@code sourceCluster}.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code ConfigurationException}, {@code SnapshotNotFoundException}, {@code ResourceBusyException},
 * {@code InvalidMessageException} (a message start-restore would reject: nothing published),
 * {@code TransientAwsException}.
 */
@Named("notify-destination")
@StepHandler
public class NotifyDestinationHandler implements RequestHandler<NotifyRequest, NotifyResult> {

    @Inject
    NotifyDestinationService service;

    @Override
    public NotifyResult handleRequest(NotifyRequest input, Context context) {
        return service.notify(input);
    }
}
