package org.rdsreplicator.switchendpoint;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.EndpointSwitch.Direction;
import org.rdsreplicator.common.secret.SwitchResult;
import org.rdsreplicator.common.wait.PromotionLock;

/**
 * Checks the request, takes the promotion lock (one run at a time switches and prunes a destination's
 * secret), and hands it to the shared {@link EndpointSwitch}, keyed by the run id. A replication only moves
 * forward in time; a superseded replication, and a rollback, release the lock here, while a replication that
 * switched keeps it until its retention step (prune-instances) has finished.
 */
@ApplicationScoped
public class SwitchEndpointService {
    private static final Logger LOG = Logger.getLogger(SwitchEndpointService.class);

    private final EndpointSwitch endpointSwitch;
    private final PromotionLock lock;

    public SwitchEndpointService(EndpointSwitch endpointSwitch, PromotionLock lock) {
        this.endpointSwitch = endpointSwitch;
        this.lock = lock;
    }

    public SwitchResult switchEndpoint(SwitchEndpointRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        String runId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());

        return endpointSwitch.withSecretOf(endpointSwitch.managedInstance(instanceId),
                () -> switchEndpoint(req, runId, instanceId));
    }

    private SwitchResult switchEndpoint(SwitchEndpointRequest req, String runId, String instanceId) {
        lock.acquire(runId);
        SwitchResult result;
        try {
            result = endpointSwitch.switchTo(instanceId, runId, req.isRollback() ? Direction.ANY : Direction.NEWER_ONLY);
        } finally {
            if (req.isRollback()) {
                // No retention step follows a rollback, and its failure path deletes nothing: release here, done or not
                // (a retried attempt takes the lock again).
                lock.release(runId);
            }
        }
        if (result.superseded()) {
            LOG.warnf("replication %s is superseded: the secret stays on %s, %s will be deleted by retention", runId,
                    result.currentInstance(), instanceId);
            lock.release(runId);
        }
        return result;
    }
}
