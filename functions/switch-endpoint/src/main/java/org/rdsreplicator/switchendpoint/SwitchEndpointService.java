package org.rdsreplicator.switchendpoint;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.secret.ClusterSwitch;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.EndpointSwitch.Direction;
import org.rdsreplicator.common.secret.SwitchResult;
import org.rdsreplicator.common.wait.PromotionLock;

/**
 * Checks the request, takes the promotion lock (one run at a time switches and prunes a destination's
 * secret), and hands it to the shared {@link EndpointSwitch}, keyed by the run id. A replication only moves
 * forward in time; a superseded replication, and a rollback, release the lock here, while a replication that
 * switched keeps it until its retention step (prune-instances) has finished. An Aurora cluster
 * ({@code dbClusterIdentifier}) goes through {@link ClusterSwitch} under the same lock: the secret names its writer
 * endpoint; the result's instance fields then hold cluster identifiers.
 */
@ApplicationScoped
public class SwitchEndpointService {
    private static final Logger LOG = Logger.getLogger(SwitchEndpointService.class);

    private final EndpointSwitch endpointSwitch;
    private final PromotionLock lock;
    private final ClusterSwitch clusterSwitch;

    /** For instances only (a cluster request then fails). */
    public SwitchEndpointService(EndpointSwitch endpointSwitch, PromotionLock lock) {
        this(endpointSwitch, lock, null);
    }

    @Inject
    public SwitchEndpointService(EndpointSwitch endpointSwitch, PromotionLock lock, ClusterSwitch clusterSwitch) {
        this.endpointSwitch = endpointSwitch;
        this.lock = lock;
        this.clusterSwitch = clusterSwitch;
    }

    public SwitchResult switchEndpoint(SwitchEndpointRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        String runId = Identifiers.requireReplicationId(req.replicationId());
        boolean cluster = req.dbClusterIdentifier() != null;
        if (cluster && req.dbInstanceIdentifier() != null) {
            throw new InvalidInputException("give dbInstanceIdentifier or dbClusterIdentifier, not both");
        }
        if (cluster && clusterSwitch == null) {
            throw new IllegalStateException("this service was built for instances only");
        }
        String instanceId = cluster ? Identifiers.requireValid("dbClusterIdentifier", req.dbClusterIdentifier())
                : Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        Direction direction = req.isRollback() ? Direction.ANY : Direction.NEWER_ONLY;

        // The secret the switch writes: the stack's one, or the source database's own (per-database secrets).
        if (cluster) {
            return clusterSwitch.withSecretOf(clusterSwitch.managedCluster(instanceId),
                    () -> switchEndpoint(req, runId, instanceId, () -> clusterSwitch.switchTo(instanceId, runId, direction)));
        }
        return endpointSwitch.withSecretOf(endpointSwitch.managedInstance(instanceId),
                () -> switchEndpoint(req, runId, instanceId, () -> endpointSwitch.switchTo(instanceId, runId, direction)));
    }

    private SwitchResult switchEndpoint(SwitchEndpointRequest req, String runId, String instanceId,
            Supplier<SwitchResult> doSwitch) {
        lock.acquire(runId);
        SwitchResult result;
        try {
            result = doSwitch.get();
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
