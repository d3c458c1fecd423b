package org.rdsreplicator.pruneinstances;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.Kind;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.wait.PromotionLock;

/**
 * Destination retention, a policy over {@link ManagedResources} (see {@link PruneInstancesHandler} for the
 * exact rules). Reads the secret before anything else: without knowing the current instance nothing is
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
        boolean finalSnapshot = retention.finalSnapshot();
        String current = secrets.read().dbInstanceIdentifier();
        LOG.infof("pruning after replication %s: keep %d newest promoted instances, final snapshot %s, "
                + "secret points at %s", replicationId, keep, finalSnapshot, current);

        List<ManagedResource> instances = new ArrayList<>(managed.instances());
        instances.sort(Comparator.comparing(PruneService::rankTime).thenComparing(ManagedResource::id).reversed());
        DeletionPlan.Builder plan = DeletionPlan.protecting(current);
        List<ManagedResource> keptPromoted = decideInstances(instances, keep, plan);
        decideLocalCopies(managed.snapshots(), instances, keptPromoted, plan);

        DeletionPlan done = managed.carryOut(plan.build(), ManagedResources.OnFailure.THROW_TRANSIENT, finalSnapshot);
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

    /**
     * Instances, newest first: {@code role=cleanup} ones go; of the promoted ones ({@code current} or
     * {@code retired}) the {@code keep} newest stay, older retired ones go, older current ones stay; any
     * other (a restore in flight, never promoted) stays and takes no place. Returns the promoted ones kept
     * by rank, newest first.
     */
    private static List<ManagedResource> decideInstances(List<ManagedResource> newestFirst, int keep,
            DeletionPlan.Builder plan) {
        List<ManagedResource> keptByRank = new ArrayList<>();
        for (ManagedResource i : newestFirst) {
            String role = i.tag(Tags.ROLE).orElse(null);
            if (i.hasRole(Tags.ROLE_CLEANUP)) {
                plan.delete(i, "tagged " + Tags.ROLE + "=" + Tags.ROLE_CLEANUP);
            } else if (!i.hasRole(Tags.ROLE_CURRENT) && !i.hasRole(Tags.ROLE_RETIRED)) {
                plan.keep(i, "not promoted (role " + role + "): a restore in flight takes no place in retention");
            } else if (keptByRank.size() < keep) {
                keptByRank.add(i);
                plan.keep(i, "one of the " + keep + " newest promoted instances (role " + role + ")");
            } else if (i.hasRole(Tags.ROLE_CURRENT)) {
                plan.keep(i, "older than the " + keep + " newest, but role " + role);
            } else {
                plan.delete(i, "older than the " + keep + " newest promoted instances (role " + role + ")");
            }
        }
        return keptByRank;
    }

    /**
     * Available {@code local-copy} snapshots go when their replication's instance exists and is available,
     * or when no instance of their replication exists and the copy is older than the oldest kept instance.
     * Copies still being made, or whose restore is still running, stay.
     */
    private static void decideLocalCopies(List<ManagedResource> snapshots, List<ManagedResource> instances,
            List<ManagedResource> keptPromoted, DeletionPlan.Builder plan) {
        // Null when nothing is kept or the oldest kept instance has no creation time yet: then no copy is
        // old enough to go by age.
        Instant oldestKept = keptPromoted.isEmpty() ? null : keptPromoted.get(keptPromoted.size() - 1).created();
        for (ManagedResource s : snapshots) {
            if (s.kind() != Kind.LOCAL_COPY) {
                continue;
            }
            if (!s.isAvailable()) {
                plan.keep(s, "local copy is " + s.status());
                continue;
            }
            String replication = s.replicationId().orElse(null);
            List<ManagedResource> restored = instances.stream().filter(i -> i.belongsTo(replication)).toList();
            if (!restored.isEmpty()) {
                if (restored.stream().anyMatch(ManagedResource::isAvailable)) {
                    plan.delete(s, "the instance of replication " + replication + " is available");
                } else {
                    plan.keep(s, "the instance of replication " + replication + " is not available yet");
                }
            } else if (oldestKept != null && s.created() != null && s.created().isBefore(oldestKept)) {
                plan.delete(s, "no instance of replication " + replication + "; older than the oldest kept one");
            } else {
                plan.keep(s, "no instance of replication " + replication + " yet; not older than the oldest kept one");
            }
        }
    }

    /**
     * When the instance's data is from: the {@link Tags#SNAPSHOT_TIME} tag, else its creation time; one
     * with neither yet counts as the newest.
     */
    static Instant rankTime(ManagedResource i) {
        String tagged = i.tag(Tags.SNAPSHOT_TIME).orElse(null);
        if (tagged != null) {
            try {
                return Instant.parse(tagged);
            } catch (DateTimeParseException e) {
                LOG.warnf("%s has an unreadable %s tag '%s': ranked by its creation time", i.id(), Tags.SNAPSHOT_TIME,
                        tagged);
            }
        }
        return i.created() == null ? Instant.MAX : i.created();
    }
}
