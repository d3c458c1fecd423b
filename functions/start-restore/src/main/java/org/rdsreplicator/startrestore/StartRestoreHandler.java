package org.rdsreplicator.startrestore;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code start-restore} (destination account), subscribed to the source account's
 * replication topic.
 * <p>
 * Input: the standard SNS event ({@link SnsEvent}) whose {@code Message} is a
 * {@code ReplicationMessage}. Output: {@link StartRestoreResult}, one outcome per record:
 * {@code STARTED} (execution of {@code destination-restore} named after the replication id, input the
 * message), {@code DUPLICATE} (that execution already exists) or {@code REJECTED} (logged at ERROR and
 * published to the alerts topic; returns normally so the garbage is not retried).
 * <p>
 * Errors (thrown, so Lambda's asynchronous retries and then the dead-letter queue apply):
 * {@code ConfigurationException} (source account, state machine or alerts topic not configured, or
 * the state machine does not exist), {@code TransientAwsException}, {@code InvalidInputException} (no
 * records at all), and Step Functions or SNS service errors as the SDK reports them
 * (package {@code org.rdsreplicator.common.errors}).
 */
@Named("start-restore")
@StepHandler
public class StartRestoreHandler implements RequestHandler<SnsEvent, StartRestoreResult> {

    @Inject
    StartRestoreService service;

    @Override
    public StartRestoreResult handleRequest(SnsEvent input, Context context) {
        return service.start(input);
    }
}
