package org.rdsreplicator.switchendpoint;

import org.rdsreplicator.common.handler.HasReplicationId;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of switch-endpoint.
 *
 * @param replicationId        id of the replication that restored the instance (required); also the
 *                             idempotency key of the secret write, so a retry writes no second version
 * @param dbInstanceIdentifier the restored instance the secret is to point at (required)
 */
@RegisterForReflection
public record SwitchEndpointRequest(String replicationId, String dbInstanceIdentifier) implements HasReplicationId {
}
