package org.rdsreplicator.notifydestination;

import org.rdsreplicator.common.records.ReplicationMessage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of notify-destination.
 *
 * @param messageId the SNS message id of the publication
 * @param message   the replication message as published
 */
@RegisterForReflection
public record NotifyResult(String messageId, ReplicationMessage message) {
}
