package org.rdsreplicator.pruneinstances;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.rds.ClusterRetention;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.InstanceRetention;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.wait.PromotionLock;

/**
 * Destination retention: carries out the {@link InstanceRetention} plan over {@link ManagedResources} (see
 * {@link PruneInstancesHandler} for the exact rules). Reads the secret before anything else: without knowing the current instance nothing is
 * deleted. Everything is decided from one listing before the first delete. Then the managed Aurora clusters, by
 * {@link ClusterRetention} (never the cluster the secret names; a cluster's writer is deleted before it).
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
            return prune(replicationId, keep, managed.instances(), managed.snapshots(), managed.clusters());
        }
        if (req != null && req.sourceInstance() == null && replicationId != null) {
            // An Aurora cluster's run (its message has no sourceInstance): the source cluster is the one the run's
            // restored cluster is tagged with; that cluster's clusters, against its own secret.
            List<ManagedResource> clusters = managed.clusters();
            Optional<String> sourceCluster = clusters.stream().filter(c -> c.belongsTo(replicationId))
                    .map(c -> c.tag(Tags.SOURCE_CLUSTER).orElse("")).filter(v -> !v.isBlank()).findFirst();
            if (sourceCluster.isPresent()) {
                String source = sourceCluster.get();
                return SecretScope.forCluster(source, () -> prune(replicationId, keep, List.of(), List.of(),
                        ofSource(clusters, Tags.SOURCE_CLUSTER, source)));
            }
        }
        String source = Identifiers.requireValid("sourceInstance", req == null ? null : req.sourceInstance());
        // Per-database secrets: this database's instances and copies, against its own secret.
        return SecretScope.forSource(source, () -> prune(replicationId, keep,
                ofSource(managed.instances(), Tags.SOURCE_INSTANCE, source),
                ofSource(managed.snapshots(), Tags.SOURCE_INSTANCE, source), List.of()));
    }

    private static List<ManagedResource> ofSource(List<ManagedResource> resources, String tag, String source) {
        return resources.stream().filter(r -> r.tag(tag).filter(source::equals).isPresent()).toList();
    }

    private PruneResult prune(String replicationId, int keep, List<ManagedResource> instances,
            List<ManagedResource> snapshots, List<ManagedResource> clusters) {
        boolean finalSnapshot = retention.finalSnapshot();
        DatabaseSecret secret = secrets.read();
        String current = secret.dbInstanceIdentifier();
        String currentCluster = secret.dbClusterIdentifier();
        LOG.infof("pruning after replication %s: keep %d newest promoted instances, final snapshot %s, "
                + "secret points at %s", replicationId, keep, finalSnapshot, current);

        DeletionPlan done = instances.isEmpty() && snapshots.isEmpty() ? new DeletionPlan(List.of(), List.of(), List.of())
                : managed.carryOut(InstanceRetention.plan(instances, snapshots, keep, current),
                        ManagedResources.OnFailure.THROW_TRANSIENT, finalSnapshot);
        // Aurora clusters: the same rules (ClusterRetention), never the cluster the secret names; writers go first.
        DeletionPlan clusterDone = clusters.isEmpty() ? new DeletionPlan(List.of(), List.of(), List.of())
                : managed.carryOut(ClusterRetention.plan(clusters, managed.instances(), keep, currentCluster),
                        ManagedResources.OnFailure.THROW_TRANSIENT, finalSnapshot);
        PruneResult result = new PruneResult(ids(done.kept(), clusterDone.kept(), PruneService::isDatabase),
                ids(done.deleted(), clusterDone.deleted(), PruneService::isDatabase),
                ids(done.notDeleted(), clusterDone.notDeleted(), PruneService::isDatabase),
                DeletionPlan.ids(done.deleted(), r -> !isDatabase(r)));
        LOG.infof("pruned: kept %s, deleted %s, skipped %s, deleted snapshots %s", result.kept(), result.deleted(),
                result.skipped(), result.deletedSnapshots());
        if (replicationId != null) {
            // The switch of this replication took the promotion lock: the next run may switch now.
            lock.release(replicationId);
        }
        return result;
    }

    /** An instance or a cluster (the result's kept / deleted / skipped lists name both). */
    private static boolean isDatabase(ManagedResource r) {
        return r.isInstance() || r.isCluster();
    }

    private static List<String> ids(List<DeletionPlan.Decision> instances, List<DeletionPlan.Decision> clusters,
            java.util.function.Predicate<ManagedResource> which) {
        List<String> out = new java.util.ArrayList<>(DeletionPlan.ids(instances, which));
        out.addAll(DeletionPlan.ids(clusters, which));
        return out;
    }
}
