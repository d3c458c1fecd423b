package org.rdsreplicator.common.rds;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.DeletionPlan.Decision;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DeleteDbClusterRequest;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The one place that decides what this system may delete and deletes it: handle-failure, prune-instances
 * and prune-snapshots are policies over it.
 * <ol>
 * <li><b>List</b>: {@link #snapshots()}, {@link #snapshotsOf(String)} and {@link #instances()} page through
 * DescribeDBSnapshots / DescribeDBInstances ({@value #PAGE_SIZE} per page) and read the tags from the
 * TagList those responses carry; ListTagsForResource is called only for a resource listed without one.
 * Only resources tagged {@code rds-replicator:managed-by=rds-replicator} are returned; those already
 * {@code deleting}/{@code deleted}, or gone between the Describe and the tag read, are skipped.</li>
 * <li><b>Plan</b>: a policy sorts them into a {@link DeletionPlan}, which refuses what may never be
 * deleted (the secret's instance, deletion protection, {@code role=current}).</li>
 * <li><b>Carry out</b>: {@link #carryOut} deletes instances first (a snapshot being restored from may
 * refuse deletion), then snapshots. A delete that finds the resource gone counts as deleted.</li>
 * </ol>
 */
@ApplicationScoped
public class ManagedResources {
    /** Page size of the Describe calls (RDS's maximum). */
    public static final int PAGE_SIZE = 100;
    private static final Set<String> GONE = Set.of("deleting", "deleted");
    private static final Logger LOG = Logger.getLogger(ManagedResources.class);

    /** What {@link #carryOut} does when a delete fails for another reason than the resource being gone. */
    public enum OnFailure {
        /** Report every failure in {@code notDeleted} and go on (the failure path: the alert matters more). */
        REPORT,
        /**
         * Throw throttling and server errors (through {@link RdsErrors#translate}; the state machine retries
         * and a rerun is safe); report any other refusal in {@code notDeleted} and go on.
         */
        THROW_TRANSIENT
    }

    private final RdsClient rds;

    public ManagedResources(RdsClient rds) {
        this.rds = rds;
    }

    /** True for the statuses of a resource that is going or gone. */
    public static boolean isGone(String status) {
        return GONE.contains(status);
    }

    // ---- listing -------------------------------------------------------------------------------

    /** Every managed manual snapshot of this account and Region that is not going or gone. */
    public List<ManagedResource> snapshots() {
        try {
            return managed(rds.describeDBSnapshotsPaginator(r -> r.snapshotType("manual").maxRecords(PAGE_SIZE))
                    .dbSnapshots(), s -> "manual".equals(s.snapshotType()), DBSnapshot::hasTagList,
                    DBSnapshot::tagList, DBSnapshot::dbSnapshotArn, DBSnapshot::status, ManagedResource::of);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list DB snapshots");
        }
    }

    /**
     * The managed manual snapshots taken of {@code sourceInstance} and tagged with it as
     * {@code source-instance}, not going or gone.
     */
    public List<ManagedResource> snapshotsOf(String sourceInstance) {
        try {
            return managed(rds.describeDBSnapshotsPaginator(r -> r.dbInstanceIdentifier(sourceInstance)
                    .snapshotType("manual").maxRecords(PAGE_SIZE)).dbSnapshots(),
                    // Describe filters already; checked again because deleting is at stake.
                    s -> "manual".equals(s.snapshotType()) && sourceInstance.equals(s.dbInstanceIdentifier()),
                    DBSnapshot::hasTagList, DBSnapshot::tagList, DBSnapshot::dbSnapshotArn, DBSnapshot::status,
                    ManagedResource::of).stream()
                    .filter(m -> m.tag(Tags.SOURCE_INSTANCE).filter(sourceInstance::equals).isPresent()).toList();
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list the snapshots of " + sourceInstance);
        }
    }

    /** Every managed manual DB cluster snapshot (Aurora) of this account and Region that is not going or gone. */
    public List<ManagedResource> clusterSnapshots() {
        try {
            return managed(rds.describeDBClusterSnapshotsPaginator(r -> r.snapshotType("manual")
                    .maxRecords(PAGE_SIZE)).dbClusterSnapshots(), s -> "manual".equals(s.snapshotType()),
                    DBClusterSnapshot::hasTagList, DBClusterSnapshot::tagList, DBClusterSnapshot::dbClusterSnapshotArn,
                    DBClusterSnapshot::status, ManagedResource::of);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list DB cluster snapshots");
        }
    }

    /**
     * The managed manual cluster snapshots taken of the Aurora cluster {@code sourceCluster} and tagged with it as
     * {@code source-cluster}, not going or gone (the cluster's counterpart of {@link #snapshotsOf}). A shareable
     * copy reports the cluster it was copied from as its DBClusterIdentifier, so the listing by cluster finds both.
     */
    public List<ManagedResource> clusterSnapshotsOf(String sourceCluster) {
        try {
            return managed(rds.describeDBClusterSnapshotsPaginator(r -> r.dbClusterIdentifier(sourceCluster)
                    .snapshotType("manual").maxRecords(PAGE_SIZE)).dbClusterSnapshots(),
                    s -> "manual".equals(s.snapshotType()), DBClusterSnapshot::hasTagList, DBClusterSnapshot::tagList,
                    DBClusterSnapshot::dbClusterSnapshotArn, DBClusterSnapshot::status, ManagedResource::of).stream()
                    .filter(m -> m.tag(Tags.SOURCE_CLUSTER).filter(sourceCluster::equals).isPresent()).toList();
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list the cluster snapshots of " + sourceCluster);
        }
    }

    /** Every managed DB instance of this account and Region that is not going or gone. */
    public List<ManagedResource> instances() {
        try {
            return managed(rds.describeDBInstancesPaginator(r -> r.maxRecords(PAGE_SIZE)).dbInstances(), i -> true,
                    DBInstance::hasTagList, DBInstance::tagList, DBInstance::dbInstanceArn, DBInstance::dbInstanceStatus,
                    ManagedResource::of);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list DB instances");
        }
    }

    /** Every managed Aurora DB cluster of this account and Region that is not going or gone. */
    public List<ManagedResource> clusters() {
        try {
            return managed(rds.describeDBClustersPaginator(r -> r.maxRecords(PAGE_SIZE)).dbClusters(), c -> true,
                    c -> c.hasTagList() && !c.tagList().isEmpty(), DBCluster::tagList, DBCluster::dbClusterArn,
                    DBCluster::status, ManagedResource::of);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot list DB clusters");
        }
    }

    private <T> List<ManagedResource> managed(Iterable<T> listed, Predicate<T> wanted, Predicate<T> hasTags,
            Function<T, List<Tag>> tagList, Function<T, String> arn, Function<T, String> status,
            BiFunction<T, Collection<Tag>, ManagedResource> build) {
        List<ManagedResource> managed = new ArrayList<>();
        for (T r : listed) {
            if (!wanted.test(r) || isGone(status.apply(r))) {
                continue;
            }
            List<Tag> tags = hasTags.test(r) ? tagList.apply(r) : tagsOf(arn.apply(r));
            if (tags != null && Tags.isManaged(tags)) {
                managed.add(build.apply(r, tags));
            }
        }
        return managed;
    }

    /** The tags of a resource listed without a TagList; null when it is gone meanwhile. */
    private List<Tag> tagsOf(String arn) {
        try {
            return rds.listTagsForResource(r -> r.resourceName(arn)).tagList();
        } catch (DbSnapshotNotFoundException | DbInstanceNotFoundException | DbClusterSnapshotNotFoundException
                | DbClusterNotFoundException e) {
            return null;
        }
    }

    // ---- acting --------------------------------------------------------------------------------

    /** {@link #carryOut(DeletionPlan, OnFailure, boolean)} without final snapshots. */
    public DeletionPlan carryOut(DeletionPlan plan, OnFailure onFailure) {
        return carryOut(plan, onFailure, false);
    }

    /**
     * Deletes what {@code plan} says, instances first, and returns the plan as carried out. Instances
     * are deleted with their automated backups; without a final snapshot unless {@code finalSnapshot},
     * then as {@code <instance>-final}, tagged managed-by and {@code kind=final-snapshot}.
     */
    public DeletionPlan carryOut(DeletionPlan plan, OnFailure onFailure, boolean finalSnapshot) {
        plan.kept().forEach(d -> LOG.infof("keep %s: %s", d.resource().id(), d.reason()));
        plan.notDeleted().forEach(d -> LOG.warnf("not deleting %s: %s", d.resource().arn(), d.reason()));
        // Instances first (a snapshot being restored from, or a cluster with members, refuses deletion), then clusters.
        List<Decision> order = new ArrayList<>(plan.deleted().stream().filter(d -> d.resource().isInstance()).toList());
        order.addAll(plan.deleted().stream().filter(d -> d.resource().isCluster()).toList());
        order.addAll(plan.deleted().stream().filter(d -> !d.resource().isInstance() && !d.resource().isCluster())
                .toList());
        List<Decision> deleted = new ArrayList<>();
        List<Decision> notDeleted = new ArrayList<>(plan.notDeleted());
        for (Decision d : order) {
            Decision done = delete(d, onFailure, finalSnapshot);
            (done == d ? deleted : notDeleted).add(done);
        }
        return new DeletionPlan(deleted, plan.kept(), notDeleted);
    }

    /** {@code d} itself when deleting (or gone), else the refusal. */
    private Decision delete(Decision d, OnFailure onFailure, boolean finalSnapshot) {
        ManagedResource r = d.resource();
        try {
            if (r.isInstance()) {
                deleteInstance(r, finalSnapshot);
            } else if (r.isClusterSnapshot()) {
                rds.deleteDBClusterSnapshot(b -> b.dbClusterSnapshotIdentifier(r.id()));
            } else if (r.isCluster()) {
                deleteCluster(r, finalSnapshot);
            } else {
                rds.deleteDBSnapshot(b -> b.dbSnapshotIdentifier(r.id()));
            }
            LOG.infof("deleting %s: %s", r.arn(), d.reason());
            return d;
        } catch (DbSnapshotNotFoundException | DbInstanceNotFoundException | DbClusterSnapshotNotFoundException
                | DbClusterNotFoundException e) {
            LOG.infof("%s is already gone", r.arn());
            return d;
        } catch (InvalidDbClusterStateException e) {
            // RDS deletes a cluster only once its instances are gone, which takes minutes after their delete: tagged
            // role=cleanup, the next retention run (prune-instances) deletes it.
            markForCleanup(r);
            return refused(r, "its instances are still being deleted (" + describe(e) + "): tagged "
                    + Tags.ROLE + "=" + Tags.ROLE_CLEANUP + ", a later run deletes it");
        } catch (DbSnapshotAlreadyExistsException e) {
            return refused(r, "its final snapshot " + finalSnapshotId(r) + " already exists");
        } catch (AwsServiceException e) {
            if (onFailure == OnFailure.THROW_TRANSIENT && AwsFailures.isTransient(e)) {
                throw RdsErrors.translate(e, "cannot delete " + r.arn());
            }
            return refused(r, "delete failed (" + describe(e) + ")");
        } catch (SdkException e) {
            if (onFailure == OnFailure.THROW_TRANSIENT) {
                throw e;
            }
            return refused(r, "delete failed (" + describe(e) + ")");
        }
    }

    private static Decision refused(ManagedResource r, String why) {
        LOG.warnf("not deleting %s: %s", r.arn(), why);
        return new Decision(r, why);
    }

    private void deleteInstance(ManagedResource r, boolean finalSnapshot) {
        DeleteDbInstanceRequest.Builder req = DeleteDbInstanceRequest.builder().dbInstanceIdentifier(r.id())
                .skipFinalSnapshot(!finalSnapshot).deleteAutomatedBackups(true);
        if (finalSnapshot) {
            req.finalDBSnapshotIdentifier(finalSnapshotId(r));
        }
        rds.deleteDBInstance(req.build());
        if (finalSnapshot) {
            tagFinalSnapshot(r);
        }
    }

    private void markForCleanup(ManagedResource r) {
        if (r.hasRole(Tags.ROLE_CLEANUP)) {
            return;
        }
        try {
            rds.addTagsToResource(b -> b.resourceName(r.arn()).tags(Tags.tag(Tags.ROLE, Tags.ROLE_CLEANUP)));
        } catch (SdkException e) {
            LOG.warnf("cannot tag %s %s=%s (%s): delete it by hand once its instances are gone", r.arn(), Tags.ROLE,
                    Tags.ROLE_CLEANUP, describe(e));
        }
    }

    /** A cluster (its instances already deleted), with a final cluster snapshot {@code <cluster>-final} if asked. */
    private void deleteCluster(ManagedResource r, boolean finalSnapshot) {
        DeleteDbClusterRequest.Builder req = DeleteDbClusterRequest.builder().dbClusterIdentifier(r.id())
                .skipFinalSnapshot(!finalSnapshot);
        if (finalSnapshot) {
            req.finalDBSnapshotIdentifier(finalSnapshotId(r));
        }
        rds.deleteDBCluster(req.build());
    }

    private static String finalSnapshotId(ManagedResource r) {
        return Identifiers.withSuffix(r.id(), "final");
    }

    private void tagFinalSnapshot(ManagedResource r) {
        String finalId = finalSnapshotId(r);
        String arn = RdsArn.parse(r.arn()).sibling(RdsArn.SNAPSHOT, finalId).toString();
        List<Tag> tags = Tags.managed(r.replicationId().orElse(""), r.tag(Tags.SOURCE_INSTANCE).orElse(""),
                Tags.KIND_FINAL_SNAPSHOT);
        try {
            rds.addTagsToResource(b -> b.resourceName(arn).tags(tags));
        } catch (AwsServiceException e) {
            // RDS may list the final snapshot only a little later; it then lacks the managed-by tag and
            // this system will never delete it: safe, and the operator sees this warning.
            LOG.warnf("final snapshot %s of %s could not be tagged (%s); it stays untagged", finalId, r.id(),
                    describe(e));
        }
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
