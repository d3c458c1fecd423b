package org.rdsreplicator.prunesnapshots;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Deletes the source account's managed snapshots whose job is done (see {@link PruneSnapshotsHandler}
 * for the exact rules). Everything is decided from one listing before the first delete, so the outcome
 * does not depend on the order of the deletes.
 */
@ApplicationScoped
public class PruneSnapshotsService {
    /** {@link Tags#KIND} of the snapshot create-snapshot takes. */
    static final String KIND_SOURCE = "source-snapshot";
    /** {@link Tags#KIND} of the re-encrypted copy copy-snapshot makes and share-snapshot shares. */
    static final String KIND_COPY = "shareable-copy";
    static final String AVAILABLE = "available";
    private static final Set<String> GOING = Set.of("deleting", "deleted");
    private static final Logger LOG = Logger.getLogger(PruneSnapshotsService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final SnapshotRetentionConfig retention;

    public PruneSnapshotsService(RdsClient rds, RdsResources resources, SnapshotRetentionConfig retention) {
        this.rds = rds;
        this.resources = resources;
        this.retention = retention;
    }

    /** A managed snapshot of the instance, with its tags. */
    record Managed(DBSnapshot snapshot, List<Tag> tags) {
        String id() {
            return snapshot.dbSnapshotIdentifier();
        }

        String status() {
            return snapshot.status();
        }

        boolean available() {
            return AVAILABLE.equals(snapshot.status());
        }

        Optional<String> tag(String key) {
            return Tags.value(tags, key);
        }

        boolean isKind(String kind) {
            return tag(Tags.KIND).filter(kind::equals).isPresent();
        }

        /** Creation time; a snapshot without one yet (still being made) counts as the newest. */
        Instant created() {
            return snapshot.snapshotCreateTime() == null ? Instant.MAX : snapshot.snapshotCreateTime();
        }
    }

    private enum Outcome {
        DELETED, GONE, REFUSED
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
        LOG.infof("pruning snapshots of %s after replication %s: keep the %d newest shareable copies", instanceId,
                replicationId, keep);

        List<Managed> sources = new ArrayList<>();
        List<Managed> copies = new ArrayList<>();
        for (Managed m : managedSnapshots(instanceId)) {
            if (GOING.contains(m.status())) {
                LOG.infof("snapshot %s is already %s: ignored", m.id(), m.status());
            } else if (m.isKind(KIND_SOURCE)) {
                sources.add(m);
            } else if (m.isKind(KIND_COPY)) {
                copies.add(m);
            } else {
                LOG.debugf("snapshot %s is of kind %s: not pruned here", m.id(), m.tag(Tags.KIND).orElse(null));
            }
        }
        copies.sort(Comparator.comparing(Managed::created).thenComparing(Managed::id).reversed());

        List<Managed> toDelete = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        decideSources(sources, copies, toDelete, kept);
        decideCopies(copies, keep, replicationId, toDelete, kept);

        List<String> deleted = new ArrayList<>();
        List<String> notDeleted = new ArrayList<>();
        for (Managed m : toDelete) {
            if (delete(m.id()) == Outcome.REFUSED) {
                notDeleted.add(m.id());
            } else {
                deleted.add(m.id());
            }
        }
        LOG.infof("pruned snapshots of %s: deleted %s, kept %s, not deleted %s", instanceId, deleted, kept,
                notDeleted);
        return new PruneSnapshotsResult(deleted, kept, notDeleted);
    }

    /** An intermediate snapshot goes once its replication's shareable copy exists and is available. */
    private static void decideSources(List<Managed> sources, List<Managed> copies, List<Managed> toDelete,
            List<String> kept) {
        Set<String> replaced = copies.stream().filter(Managed::available)
                .map(c -> c.tag(Tags.REPLICATION_ID).orElse(null)).filter(r -> r != null)
                .collect(Collectors.toSet());
        sources.sort(Comparator.comparing(Managed::id));
        for (Managed s : sources) {
            String replication = s.tag(Tags.REPLICATION_ID).orElse(null);
            if (!s.available()) {
                LOG.infof("keep source snapshot %s: %s", s.id(), s.status());
                kept.add(s.id());
            } else if (replication == null || !replaced.contains(replication)) {
                // Its run is still in progress (copy not made or not finished yet): the copy needs it.
                LOG.infof("keep source snapshot %s: replication %s has no available shareable copy", s.id(),
                        replication);
                kept.add(s.id());
            } else {
                LOG.infof("source snapshot %s is replaced by the shareable copy of replication %s", s.id(),
                        replication);
                toDelete.add(s);
            }
        }
    }

    /** The {@code keep} newest copies and the current replication's stay; older available ones go. */
    private static void decideCopies(List<Managed> newestFirst, int keep, String replicationId, List<Managed> toDelete,
            List<String> kept) {
        for (int i = 0; i < newestFirst.size(); i++) {
            Managed c = newestFirst.get(i);
            if (i < keep) {
                LOG.infof("keep shareable copy %s (one of the %d newest, %s)", c.id(), keep, c.status());
                kept.add(c.id());
            } else if (c.tag(Tags.REPLICATION_ID).filter(replicationId::equals).isPresent()) {
                // The destination may still be copying it, whatever newer copies exist.
                LOG.infof("keep shareable copy %s: it is the current replication's", c.id());
                kept.add(c.id());
            } else if (!c.available()) {
                LOG.infof("keep shareable copy %s: %s", c.id(), c.status());
                kept.add(c.id());
            } else {
                LOG.infof("shareable copy %s is older than the %d newest", c.id(), keep);
                toDelete.add(c);
            }
        }
    }

    /**
     * The manual snapshots of {@code instanceId} that this system made from it: tagged managed-by and
     * source-instance = {@code instanceId}. Nothing else is ever looked at again.
     */
    private List<Managed> managedSnapshots(String instanceId) {
        List<Managed> managed = new ArrayList<>();
        try {
            for (DBSnapshot s : rds.describeDBSnapshotsPaginator(r -> r.dbInstanceIdentifier(instanceId)
                    .snapshotType("manual").maxRecords(100)).dbSnapshots()) {
                // Describe filters already; checked again because deleting is at stake.
                if (!"manual".equals(s.snapshotType()) || !instanceId.equals(s.dbInstanceIdentifier())) {
                    continue;
                }
                List<Tag> tags = s.hasTagList() ? s.tagList() : resources.tags(s.dbSnapshotArn());
                if (Tags.isManaged(tags) && Tags.value(tags, Tags.SOURCE_INSTANCE).filter(instanceId::equals).isPresent()) {
                    managed.add(new Managed(s, tags));
                }
            }
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list the snapshots of " + instanceId);
        }
        return managed;
    }

    /**
     * Deletes one snapshot. A transient failure (throttling, 5xx) is thrown (the state machine retries the
     * whole step, which is safe); any other refusal is logged and reported, so one stuck snapshot does not
     * fail the replication.
     */
    private Outcome delete(String id) {
        try {
            rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(id));
            LOG.infof("deleting snapshot %s", id);
            return Outcome.DELETED;
        } catch (DbSnapshotNotFoundException e) {
            LOG.infof("snapshot %s is already gone", id);
            return Outcome.GONE;
        } catch (AwsServiceException e) {
            RuntimeException named = RdsErrors.translate(e, "cannot delete snapshot " + id);
            if (named instanceof TransientAwsException) {
                throw named;
            }
            LOG.warnf("snapshot %s was not deleted: %s (%s)", id, named.getMessage(),
                    e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode());
            return Outcome.REFUSED;
        }
    }
}
