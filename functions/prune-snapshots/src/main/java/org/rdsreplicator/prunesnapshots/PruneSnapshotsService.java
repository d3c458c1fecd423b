package org.rdsreplicator.prunesnapshots;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.Kind;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;

/**
 * Deletes the source account's managed snapshots whose job is done: a policy over
 * {@link ManagedResources} (see {@link PruneSnapshotsHandler} for the exact rules). Everything is decided
 * from one listing before the first delete, so the outcome does not depend on the order of the deletes.
 */
@ApplicationScoped
public class PruneSnapshotsService {
    private static final Logger LOG = Logger.getLogger(PruneSnapshotsService.class);

    private final ManagedResources managed;
    private final SnapshotRetentionConfig retention;
    private final Clock clock;

    @Inject
    public PruneSnapshotsService(ManagedResources managed, SnapshotRetentionConfig retention) {
        this(managed, retention, Clock.systemUTC());
    }

    PruneSnapshotsService(ManagedResources managed, SnapshotRetentionConfig retention, Clock clock) {
        this.managed = managed;
        this.retention = retention;
        this.clock = clock;
    }

    public PruneSnapshotsResult prune(PruneSnapshotsRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        int keep = retention.keep();
        if (keep < 1) {
            throw new ConfigurationException("REPLICATOR_SNAPSHOT_RETENTION_KEEP (replicator.snapshot-retention.keep) "
                    + "must be at least 1 (the copy the destination may still be copying), not " + keep);
        }
        Duration hold = retention.hold();
        if (hold.isNegative()) {
            throw new ConfigurationException("REPLICATOR_SNAPSHOT_RETENTION_HOLD (replicator.snapshot-retention.hold) "
                    + "must not be negative, not " + hold);
        }
        // Copies made after this instant may still be being copied by a destination: never deleted.
        Instant heldSince = clock.instant().minus(hold);
        LOG.infof("pruning snapshots of %s after replication %s: keep the %d newest shareable copies and every one "
                + "made after %s (hold %s)", instanceId, replicationId, keep, heldSince, hold);

        List<ManagedResource> sources = new ArrayList<>();
        List<ManagedResource> copies = new ArrayList<>();
        for (ManagedResource m : managed.snapshotsOf(instanceId)) {
            if (m.kind() == Kind.SOURCE_SNAPSHOT) {
                sources.add(m);
            } else if (m.kind() == Kind.SHAREABLE_COPY) {
                copies.add(m);
            } else {
                LOG.debugf("snapshot %s is of kind %s: not pruned here", m.id(), m.kind());
            }
        }
        copies.sort(Comparator.comparing(PruneSnapshotsService::created).thenComparing(ManagedResource::id).reversed());

        DeletionPlan.Builder plan = DeletionPlan.forSnapshots();
        decideSources(sources, copies, plan);
        decideCopies(copies, keep, replicationId, heldSince, plan);
        DeletionPlan done = managed.carryOut(plan.build(), ManagedResources.OnFailure.THROW_TRANSIENT);

        PruneSnapshotsResult result = new PruneSnapshotsResult(DeletionPlan.ids(done.deleted()),
                DeletionPlan.ids(done.kept()), DeletionPlan.ids(done.notDeleted()));
        LOG.infof("pruned snapshots of %s: deleted %s, kept %s, not deleted %s", instanceId, result.deleted(),
                result.kept(), result.notDeleted());
        return result;
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
