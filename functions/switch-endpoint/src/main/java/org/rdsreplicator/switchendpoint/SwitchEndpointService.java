package org.rdsreplicator.switchendpoint;

import jakarta.enterprise.context.ApplicationScoped;

import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SwitchResult;

/** Checks the request and hands it to the shared {@link EndpointSwitch}, keyed by the replication id. */
@ApplicationScoped
public class SwitchEndpointService {
    private final EndpointSwitch endpointSwitch;

    public SwitchEndpointService(EndpointSwitch endpointSwitch) {
        this.endpointSwitch = endpointSwitch;
    }

    public SwitchResult switchEndpoint(SwitchEndpointRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        return endpointSwitch.switchTo(instanceId, replicationId);
    }
}
