package org.rdsreplicator.pruneinstances;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.InstanceRetention;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.wait.PromotionLock;

/**
 * Destination retention: carries out the {@link InstanceRetention} plan over {@link ManagedResources} (see
 * {@link PruneInstancesHandler} for the exact rules). Reads the secret before anything else: without knowing the current instance nothing is
 * deleted. Everything is decided from one listing before the first delete.
 */
@ApplicationScoped
public class PruneService {
    private static final Logger LOG = Logger.getLogger(PruneService.class);

    private final ManagedResources managed;
    private final SecretStore secrets;
    private final RetentionConfig retention;
    private final PromotionLock lock;

    public PruneService(ManagedResources managed, SecretStore secrets, RetentionConfig retention, PromotionLock lock) {
        this.managed = managed;
        this.secrets = secrets;
        this.retention = retention;
        this.lock = lock;
    }

    public PruneResult prune(PruneRequest req) {
        String replicationId = req == null || req.replicationId() == null ? null
                : Identifiers.requireReplicationId(req.replicationId());
        int keep = retention.keep();
        if (keep < 1) {
            throw new ConfigurationException("REPLICATOR_RETENTION_KEEP must be at least 1 (the current instance), "
                    + "not " + keep);
        }
        if (!secrets.perDatabase()) {
            return prune(replicationId, keep, managed.instances(), managed.snapshots());
        }
        String source = Identifiers.requireValid("sourceInstance", req == null ? null : req.sourceInstance());
        // Per-database secrets: this database's instances and copies, against its own secret.
        return SecretScope.forSource(source, () -> prune(replicationId, keep, ofSource(managed.instances(), source),
                ofSource(managed.snapshots(), source)));
    }

    private static List<ManagedResource> ofSource(List<ManagedResource> resources, String source) {
        return resources.stream().filter(r -> r.tag(Tags.SOURCE_INSTANCE).filter(source::equals).isPresent()).toList();
    }

    private PruneResult prune(String replicationId, int keep, List<ManagedResource> instances,
            List<ManagedResource> snapshots) {
        boolean finalSnapshot = retention.finalSnapshot();
        String current = secrets.read().dbInstanceIdentifier();
        LOG.infof("pruning after replication %s: keep %d newest promoted instances, final snapshot %s, "
                + "secret points at %s", replicationId, keep, finalSnapshot, current);

        DeletionPlan plan = InstanceRetention.plan(instances, snapshots, keep, current);

        DeletionPlan done = managed.carryOut(plan, ManagedResources.OnFailure.THROW_TRANSIENT, finalSnapshot);
        PruneResult result = new PruneResult(DeletionPlan.ids(done.kept(), ManagedResource::isInstance),
                DeletionPlan.ids(done.deleted(), ManagedResource::isInstance),
                DeletionPlan.ids(done.notDeleted(), ManagedResource::isInstance),
                DeletionPlan.ids(done.deleted(), r -> !r.isInstance()));
        LOG.infof("pruned: kept %s, deleted %s, skipped %s, deleted snapshots %s", result.kept(), result.deleted(),
                result.skipped(), result.deletedSnapshots());
        if (replicationId != null) {
            // The switch of this replication took the promotion lock: the next run may switch now.
            lock.release(replicationId);
        }
        return result;
    }
}
