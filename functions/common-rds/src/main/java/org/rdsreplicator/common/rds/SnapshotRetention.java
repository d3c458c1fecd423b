package org.rdsreplicator.common.rds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

/**
 * The source account's retention policy over {@link ManagedResources}, in one place for prune-snapshots (which
 * carries the plan out) and the source preflight (whose dry run reports it). Rules: an intermediate
 * {@code source-snapshot} goes once its replication's {@code shareable-copy} is available; of the shareable
 * copies, newest first, the {@code keep} newest stay and so do the current replication's and every copy made
 * after {@code heldSince} (a destination may still be copying it); older available ones go, any other stays.
 */
public final class SnapshotRetention {
    private static final Logger LOG = Logger.getLogger(SnapshotRetention.class);

    private SnapshotRetention() {
    }

    /**
     * The plan for {@code snapshots} (the managed snapshots of one instance, as {@link ManagedResources#snapshotsOf}
     * lists them), decided before anything is deleted.
     */
    public static DeletionPlan plan(List<ManagedResource> snapshots, int keep, String replicationId,
            Instant heldSince) {
        List<ManagedResource> sources = new ArrayList<>();
        List<ManagedResource> copies = new ArrayList<>();
        for (ManagedResource m : snapshots) {
            if (m.kind() == Kind.SOURCE_SNAPSHOT) {
                sources.add(m);
            } else if (m.kind() == Kind.SHAREABLE_COPY) {
                copies.add(m);
            } else {
                LOG.debugf("snapshot %s is of kind %s: not pruned here", m.id(), m.kind());
            }
        }
        copies.sort(Comparator.comparing(SnapshotRetention::created).thenComparing(ManagedResource::id).reversed());
        DeletionPlan.Builder plan = DeletionPlan.forSnapshots();
        decideSources(sources, copies, plan);
        decideCopies(copies, keep, replicationId, heldSince, plan);
        return plan.build();
    }

    /** Creation time; a snapshot without one yet (still being made) counts as the newest. */
    private static Instant created(ManagedResource m) {
        return m.created() == null ? Instant.MAX : m.created();
    }

    /** An intermediate snapshot goes once its replication's shareable copy exists and is available. */
    private static void decideSources(List<ManagedResource> sources, List<ManagedResource> copies,
            DeletionPlan.Builder plan) {
        Set<String> replaced = copies.stream().filter(ManagedResource::isAvailable)
                .flatMap(c -> c.replicationId().stream()).collect(Collectors.toSet());
        sources.sort(Comparator.comparing(ManagedResource::id));
        for (ManagedResource s : sources) {
            String replication = s.replicationId().orElse(null);
            if (!s.isAvailable()) {
                plan.keep(s, "source snapshot is " + s.status());
            } else if (replication == null || !replaced.contains(replication)) {
                // Its run is still in progress (copy not made or not finished yet): the copy needs it.
                plan.keep(s, "replication " + replication + " has no available shareable copy");
            } else {
                plan.delete(s, "replaced by the shareable copy of replication " + replication);
            }
        }
    }

    /**
     * The {@code keep} newest copies, the current replication's and every one made after {@code heldSince} stay;
     * older available ones go.
     */
    private static void decideCopies(List<ManagedResource> newestFirst, int keep, String replicationId,
            Instant heldSince, DeletionPlan.Builder plan) {
        for (int i = 0; i < newestFirst.size(); i++) {
            ManagedResource c = newestFirst.get(i);
            if (i < keep) {
                plan.keep(c, "one of the " + keep + " newest shareable copies (" + c.status() + ")");
            } else if (c.belongsTo(replicationId)) {
                // The destination may still be copying it, whatever newer copies exist.
                plan.keep(c, "the current replication's shareable copy");
            } else if (created(c).isAfter(heldSince)) {
                // A destination may still be copying it: its copy step gives up only after the hold.
                plan.keep(c, "shareable copy made after " + heldSince + ": a destination may still be copying it");
            } else if (!c.isAvailable()) {
                plan.keep(c, "shareable copy is " + c.status());
            } else {
                plan.delete(c, "shareable copy older than the " + keep + " newest");
            }
        }
    }
}
