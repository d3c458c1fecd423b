package org.rdsreplicator.startrestore;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body published to the alerts topic when a replication message is rejected.
 *
 * @param alert         always {@code replication-message-rejected}, for subscription filters and runbooks
 * @param messageId     the SNS message id of the rejected delivery
 * @param topicArn      the topic it arrived on
 * @param replicationId the replication id it carried, when readable
 * @param reason        the validation failure
 */
@RegisterForReflection
public record RejectionAlert(String alert, String messageId, String topicArn, String replicationId, String reason) {
    public static final String KIND = "replication-message-rejected";
}
