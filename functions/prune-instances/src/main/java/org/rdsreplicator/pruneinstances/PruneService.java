package org.rdsreplicator.pruneinstances;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.secret.SecretStore;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Applies the retention rules (see {@link PruneInstancesHandler} for the exact semantics). Reads the
 * secret before anything else: without knowing the current instance nothing is deleted.
 */
@ApplicationScoped
public class PruneService {
    /** {@link Tags#KIND} of the snapshot copy copy-shared-snapshot makes in this account. */
    static final String KIND_LOCAL_COPY = "local-copy";
    /** {@link Tags#KIND} of the final snapshot a deleted instance leaves when configured. */
    static final String KIND_FINAL_SNAPSHOT = "final-snapshot";
    private static final Set<String> DELETABLE_ROLES = Set.of(Tags.ROLE_RETIRED, Tags.ROLE_CLEANUP);
    private static final Logger LOG = Logger.getLogger(PruneService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final SecretStore secrets;
    private final RetentionConfig retention;

    public PruneService(RdsClient rds, RdsResources resources, SecretStore secrets, RetentionConfig retention) {
        this.rds = rds;
        this.resources = resources;
        this.secrets = secrets;
        this.retention = retention;
    }

    /** A managed instance as listed, with its tags. */
    record Managed(DBInstance instance, List<Tag> tags) {
        String id() {
            return instance.dbInstanceIdentifier();
        }

        Optional<String> tag(String key) {
            return Tags.value(tags, key);
        }

        /** Creation time; an instance still being created (no time yet) counts as the newest. */
        Instant created() {
            return instance.instanceCreateTime() == null ? Instant.MAX : instance.instanceCreateTime();
        }
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
        LOG.infof("pruning after replication %s: keep %d newest managed instances, final snapshot %s, "
                + "secret points at %s", replicationId, keep, finalSnapshot, current);

        List<Managed> all = managedInstances();
        List<Managed> candidates = new ArrayList<>();
        for (Managed m : all) {
            if ("deleting".equals(m.instance().dbInstanceStatus())) {
                LOG.infof("%s is already being deleted: ignored", m.id());
            } else {
                candidates.add(m);
            }
        }
        candidates.sort(Comparator.comparing(Managed::created).thenComparing(Managed::id).reversed());

        List<String> kept = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Managed m = candidates.get(i);
            String role = m.tag(Tags.ROLE).orElse(null);
            if (i < keep) {
                LOG.infof("keep %s (one of the %d newest, role %s)", m.id(), keep, role);
                kept.add(m.id());
            } else if (role == null || !DELETABLE_ROLES.contains(role)) {
                LOG.infof("keep %s (role %s is neither %s nor %s)", m.id(), role, Tags.ROLE_RETIRED, Tags.ROLE_CLEANUP);
                kept.add(m.id());
            } else if (m.id().equals(current)) {
                LOG.warnf("skip %s: role %s but the secret points at it", m.id(), role);
                skipped.add(m.id());
            } else if (Boolean.TRUE.equals(m.instance().deletionProtection())) {
                LOG.warnf("skip %s: role %s but deletion protection is on", m.id(), role);
                skipped.add(m.id());
            } else if (delete(m, finalSnapshot)) {
                deleted.add(m.id());
            } else {
                skipped.add(m.id());
            }
        }

        List<String> deletedSnapshots = pruneLocalCopies(all, candidates.subList(0, Math.min(keep, candidates.size())));
        LOG.infof("pruned: kept %s, deleted %s, skipped %s, deleted snapshots %s", kept, deleted, skipped,
                deletedSnapshots);
        return new PruneResult(kept, deleted, skipped, deletedSnapshots);
    }

    private List<Managed> managedInstances() {
        List<Managed> managed = new ArrayList<>();
        try {
            for (DBInstance i : rds.describeDBInstancesPaginator(r -> r.maxRecords(100)).dbInstances()) {
                List<Tag> tags = i.hasTagList() ? i.tagList() : resources.tags(i.dbInstanceArn());
                // Never consider an instance this system did not restore.
                if (Tags.isManaged(tags)) {
                    managed.add(new Managed(i, tags));
                }
            }
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list DB instances");
        }
        return managed;
    }

    /** Starts deleting {@code m}; false (logged) when RDS refuses for the instance's present state. */
    private boolean delete(Managed m, boolean finalSnapshot) {
        String finalId = Identifiers.withSuffix(m.id(), "final");
        DeleteDbInstanceRequest.Builder req = DeleteDbInstanceRequest.builder().dbInstanceIdentifier(m.id())
                .skipFinalSnapshot(!finalSnapshot);
        if (finalSnapshot) {
            req.finalDBSnapshotIdentifier(finalId);
        }
        try {
            rds.deleteDBInstance(req.build());
        } catch (DbSnapshotAlreadyExistsException e) {
            LOG.warnf("skip %s: its final snapshot %s already exists", m.id(), finalId);
            return false;
        } catch (AwsServiceException e) {
            RuntimeException named = RdsErrors.translate(e, "cannot delete " + m.id());
            if (named instanceof ResourceBusyException || named instanceof InstanceNotFoundException) {
                LOG.warnf("skip %s: %s", m.id(), named.getMessage());
                return false;
            }
            throw named;
        }
        LOG.infof("deleting %s (role %s)%s", m.id(), m.tag(Tags.ROLE).orElse(null),
                finalSnapshot ? " with final snapshot " + finalId : " without final snapshot");
        if (finalSnapshot) {
            tagFinalSnapshot(m, finalId);
        }
        return true;
    }

    private void tagFinalSnapshot(Managed m, String finalId) {
        String arn = RdsArn.parse(m.instance().dbInstanceArn()).sibling(RdsArn.SNAPSHOT, finalId).toString();
        List<Tag> tags = Tags.managed(m.tag(Tags.REPLICATION_ID).orElse(""), m.tag(Tags.SOURCE_INSTANCE).orElse(""),
                KIND_FINAL_SNAPSHOT);
        try {
            rds.addTagsToResource(r -> r.resourceName(arn).tags(tags));
        } catch (AwsServiceException e) {
            // RDS may list the final snapshot only a little later; it then lacks the managed-by tag and
            // this system will never delete it: safe, and the operator sees this warning.
            LOG.warnf("final snapshot %s of %s could not be tagged (%s); it stays untagged", finalId, m.id(),
                    e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode());
        }
    }

    /**
     * Deletes the {@code local-copy} snapshots whose job is done: their replication's instance exists and
     * is available, or no instance of their replication exists and the copy is older than the oldest kept
     * instance. Copies still being made, or whose restore is still running, are never touched.
     */
    private List<String> pruneLocalCopies(List<Managed> all, List<Managed> kept) {
        // Null when nothing is kept or the oldest kept instance has no creation time yet: then no copy is
        // old enough to go by age.
        Instant oldestKept = kept.isEmpty() ? null : kept.get(kept.size() - 1).instance().instanceCreateTime();
        List<String> deleted = new ArrayList<>();
        List<DBSnapshot> copies = new ArrayList<>();
        try {
            for (DBSnapshot s : rds.describeDBSnapshotsPaginator(r -> r.snapshotType("manual").maxRecords(100))
                    .dbSnapshots()) {
                List<Tag> tags = s.hasTagList() ? s.tagList() : resources.tags(s.dbSnapshotArn());
                if (Tags.isManaged(tags) && Tags.value(tags, Tags.KIND).filter(KIND_LOCAL_COPY::equals).isPresent()) {
                    copies.add(s.toBuilder().tagList(tags).build());
                }
            }
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list DB snapshots");
        }
        for (DBSnapshot s : copies) {
            String id = s.dbSnapshotIdentifier();
            if (!"available".equals(s.status())) {
                LOG.infof("keep snapshot %s: %s", id, s.status());
                continue;
            }
            String replication = Tags.value(s.tagList(), Tags.REPLICATION_ID).orElse(null);
            List<Managed> restored = all.stream()
                    .filter(m -> replication != null && replication.equals(m.tag(Tags.REPLICATION_ID).orElse(null)))
                    .toList();
            boolean done;
            if (!restored.isEmpty()) {
                done = restored.stream().anyMatch(m -> "available".equals(m.instance().dbInstanceStatus()));
                LOG.infof("snapshot %s: instance of replication %s is %s", id, replication,
                        restored.stream().map(m -> m.id() + " " + m.instance().dbInstanceStatus()).toList());
            } else {
                done = oldestKept != null && s.snapshotCreateTime() != null && s.snapshotCreateTime().isBefore(oldestKept);
                LOG.infof("snapshot %s: no instance of replication %s; %s than the oldest kept instance", id,
                        replication, done ? "older" : "not older");
            }
            if (done && deleteSnapshot(id)) {
                deleted.add(id);
            }
        }
        return deleted;
    }

    private boolean deleteSnapshot(String id) {
        try {
            rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(id));
            LOG.infof("deleted snapshot %s", id);
            return true;
        } catch (AwsServiceException e) {
            RuntimeException named = RdsErrors.translate(e, "cannot delete snapshot " + id);
            if (named instanceof ResourceBusyException || named instanceof SnapshotNotFoundException) {
                LOG.warnf("keep snapshot %s: %s", id, named.getMessage());
                return false;
            }
            throw named;
        }
    }
}
