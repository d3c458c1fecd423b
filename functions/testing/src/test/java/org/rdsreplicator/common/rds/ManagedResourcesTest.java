package org.rdsreplicator.common.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.ManagedResources.OnFailure;
import org.rdsreplicator.common.testing.FakeRds;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.DeleteDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.InvalidDbSnapshotStateException;
import software.amazon.awssdk.services.rds.model.RdsException;

/** Listing, the fixed rules of a plan, and carrying it out, over FakeRds. */
class ManagedResourcesTest {
    static final String RUN = "orders-db-20261124T093000Z";

    final List<String> deleteOrder = new ArrayList<>();
    final FakeRds rds = new FakeRds() {
        @Override
        public DeleteDbSnapshotResponse deleteDBSnapshot(DeleteDbSnapshotRequest r) {
            deleteOrder.add(r.dbSnapshotIdentifier());
            return super.deleteDBSnapshot(r);
        }

        @Override
        public DeleteDbInstanceResponse deleteDBInstance(DeleteDbInstanceRequest r) {
            deleteOrder.add(r.dbInstanceIdentifier());
            return super.deleteDBInstance(r);
        }
    };
    final ManagedResources managed = new ManagedResources(rds);

    FakeRds.Snap snapshot(String id, String kind) {
        FakeRds.Snap s = rds.addSnapshot(id, "orders-db", "available");
        s.tags.addAll(Tags.managed(RUN, "orders-db", kind));
        return s;
    }

    FakeRds.Inst instance(String id) {
        FakeRds.Inst i = rds.addInstance(id, "available");
        i.tags.addAll(Tags.managed(RUN, "orders-db", null));
        return i;
    }

    ManagedResource listedInstance(String id) {
        return managed.instances().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    static AwsServiceException throttled() {
        return FakeRds.error(RdsException.builder(), "Throttling", "Rate exceeded");
    }

    // ---- listing -------------------------------------------------------------------------------

    @Test
    void listing_shouldReturnOnlyManagedResourcesNotGoingWithTheirKind() {
        snapshot("src", Tags.KIND_SOURCE_SNAPSHOT);
        snapshot("share", Tags.KIND_SHAREABLE_COPY);
        snapshot("local", Tags.KIND_LOCAL_COPY);
        snapshot("final", Tags.KIND_FINAL_SNAPSHOT);
        snapshot("odd", "something-else");
        snapshot("going", Tags.KIND_LOCAL_COPY).status = "deleting";
        snapshot("automated", Tags.KIND_SOURCE_SNAPSHOT).type = "automated";
        rds.addSnapshot("by-hand", "orders-db", "available").tags.add(Tags.tag(Tags.REPLICATION_ID, RUN));
        instance("restored");
        instance("deleted").status = "deleted";
        rds.addInstance("orders-db", "available");

        assertThat(managed.snapshots()).extracting(ManagedResource::id, ManagedResource::kind).containsExactly(
                tuple("src", Kind.SOURCE_SNAPSHOT),
                tuple("share", Kind.SHAREABLE_COPY),
                tuple("local", Kind.LOCAL_COPY),
                tuple("final", Kind.FINAL_SNAPSHOT),
                tuple("odd", Kind.OTHER_SNAPSHOT));
        assertThat(managed.instances()).extracting(ManagedResource::id).containsExactly("restored");
        assertThat(rds.calls("listTagsForResource")).isZero();
    }

    @Test
    void listing_shouldPageThroughDescribeAndReadTagsFromIt() {
        for (int n = 0; n < 250; n++) {
            snapshot("s" + n, Tags.KIND_LOCAL_COPY);
            instance("i" + n);
        }

        assertThat(managed.snapshots()).hasSize(250);
        assertThat(managed.instances()).hasSize(250);

        assertThat(rds.calls("describeDBSnapshots")).isEqualTo(3);
        assertThat(rds.calls("describeDBInstances")).isEqualTo(3);
        assertThat(rds.calls("listTagsForResource")).isZero();
    }

    @Test
    void describeWithoutTagList_shouldFallBackToListTagsAndSkipWhatIsGoneMeanwhile() {
        snapshot("local", Tags.KIND_LOCAL_COPY);
        snapshot("vanishing", Tags.KIND_LOCAL_COPY);
        rds.addSnapshot("by-hand", "orders-db", "available");
        rds.describeOmitsTags = true;
        rds.failNext("listTagsForResource", FakeRds.error(DbSnapshotNotFoundException.builder(), "DBSnapshotNotFound",
                "gone"));

        // The first tag read finds "local" gone; "vanishing" and "by-hand" are read normally.
        assertThat(managed.snapshots()).extracting(ManagedResource::id).containsExactly("vanishing");
        assertThat(rds.calls("listTagsForResource")).isEqualTo(3);
    }

    @Test
    void snapshotsOf_shouldKeepOnlyThoseTakenOfAndTaggedWithTheInstance() {
        snapshot("mine", Tags.KIND_SHAREABLE_COPY);
        FakeRds.Snap otherData = rds.addSnapshot("other-data", "orders-db", "available");
        otherData.tags.addAll(Tags.managed(RUN, "reporting-db", Tags.KIND_SHAREABLE_COPY));
        rds.addSnapshot("other-instance", "reporting-db", "available").tags
                .addAll(Tags.managed(RUN, "orders-db", Tags.KIND_SHAREABLE_COPY));

        assertThat(managed.snapshotsOf("orders-db")).extracting(ManagedResource::id).containsExactly("mine");
    }

    @Test
    void throttledListing_shouldFailWithThrottled() {
        rds.failNext("describeDBInstances", throttled());

        assertThatThrownBy(managed::instances).isInstanceOf(TransientAwsException.class);
    }

    @Test
    void unmanagedResource_cannotEnterAPlan() {
        assertThatThrownBy(() -> new ManagedResource(Kind.RESTORED_INSTANCE, "orders-db", "arn:db:orders-db",
                "available", null, false, Map.of(Tags.MANAGED_BY, "someone-else")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- the fixed rules of a plan ---------------------------------------------------------------

    @Test
    void plan_shouldRefuseTheSecretsInstanceProtectedAndCurrentOnes() {
        instance("orders-db-a");
        instance("orders-db-b").deletionProtection = true;
        instance("orders-db-c").tags.add(Tags.tag(Tags.ROLE, Tags.ROLE_CURRENT));
        instance("orders-db-d").tags.add(Tags.tag(Tags.ROLE, Tags.ROLE_RETIRED));

        DeletionPlan.Builder plan = DeletionPlan.protecting("ORDERS-DB-A");
        managed.instances().forEach(i -> plan.delete(i, "policy says so"));
        DeletionPlan p = plan.build();

        assertThat(DeletionPlan.ids(p.deleted())).containsExactly("orders-db-d");
        assertThat(p.notDeleted()).extracting(DeletionPlan.Decision::reason).containsExactly(
                "it is the instance the secret points to", "deletion protection is on",
                "it is tagged rds-replicator:role=current");
    }

    @Test
    void snapshotPlan_shouldRefuseEveryInstance() {
        instance("orders-db-a");
        snapshot("local", Tags.KIND_LOCAL_COPY);

        DeletionPlan.Builder plan = DeletionPlan.forSnapshots();
        managed.instances().forEach(i -> plan.delete(i, "policy says so"));
        managed.snapshots().forEach(s -> plan.delete(s, "policy says so"));
        DeletionPlan done = managed.carryOut(plan.build(), OnFailure.REPORT);

        assertThat(DeletionPlan.ids(done.deleted())).containsExactly("local");
        assertThat(DeletionPlan.ids(done.notDeleted())).containsExactly("orders-db-a");
        assertThat(rds.instances).containsKey("orders-db-a");
    }

    // ---- carrying it out -----------------------------------------------------------------------

    @Test
    void carryOut_shouldDeleteInstancesBeforeSnapshotsAndKeepTheKept() {
        snapshot("local", Tags.KIND_LOCAL_COPY);
        snapshot("share", Tags.KIND_SHAREABLE_COPY);
        instance("orders-db-a");
        DeletionPlan.Builder plan = DeletionPlan.protecting(null);
        managed.snapshots().forEach(s -> {
            if (s.kind() == Kind.LOCAL_COPY) {
                plan.delete(s, "done");
            } else {
                plan.keep(s, "still needed");
            }
        });
        managed.instances().forEach(i -> plan.delete(i, "done"));

        DeletionPlan done = managed.carryOut(plan.build(), OnFailure.REPORT);

        assertThat(deleteOrder).containsExactly("orders-db-a", "local");
        assertThat(DeletionPlan.ids(done.deleted())).containsExactly("orders-db-a", "local");
        assertThat(DeletionPlan.ids(done.kept())).containsExactly("share");
        assertThat(rds.snapshots).containsOnlyKeys("share");
        assertThat(rds.snapshots).as("no final snapshot").doesNotContainKey("orders-db-a-final");
    }

    @Test
    void deleteFindingItGone_shouldCountAsDeleted() {
        snapshot("local", Tags.KIND_LOCAL_COPY);
        instance("orders-db-a");
        DeletionPlan.Builder plan = DeletionPlan.protecting(null);
        managed.snapshots().forEach(s -> plan.delete(s, "done"));
        managed.instances().forEach(i -> plan.delete(i, "done"));
        rds.failNext("deleteDBSnapshot", FakeRds.error(DbSnapshotNotFoundException.builder(), "DBSnapshotNotFound",
                "not found"));
        rds.failNext("deleteDBInstance", FakeRds.error(DbInstanceNotFoundException.builder(), "DBInstanceNotFound",
                "not found"));

        DeletionPlan done = managed.carryOut(plan.build(), OnFailure.THROW_TRANSIENT);

        assertThat(DeletionPlan.ids(done.deleted())).containsExactly("orders-db-a", "local");
        assertThat(done.notDeleted()).isEmpty();
    }

    /** Snapshots "a" and "b", both planned for deletion. */
    DeletionPlan deleteTwoSnapshots() {
        snapshot("a", Tags.KIND_LOCAL_COPY);
        snapshot("b", Tags.KIND_LOCAL_COPY);
        DeletionPlan.Builder plan = DeletionPlan.forSnapshots();
        managed.snapshots().forEach(s -> plan.delete(s, "done"));
        return plan.build();
    }

    @Test
    void report_shouldListEveryFailedDeleteAndGoOn() {
        DeletionPlan p = deleteTwoSnapshots();
        rds.failNext("deleteDBSnapshot", throttled());

        DeletionPlan done = managed.carryOut(p, OnFailure.REPORT);

        assertThat(DeletionPlan.ids(done.deleted())).containsExactly("b");
        assertThat(done.notDeleted()).singleElement().extracting(DeletionPlan.Decision::describe).asString()
                .startsWith(rds.snapshots.get("a").arn + ": delete failed (Throttling");
    }

    @Test
    void throwTransient_shouldThrowThrottlingAndServerErrorsButReportRefusals() {
        DeletionPlan p = deleteTwoSnapshots();

        rds.failNext("deleteDBSnapshot", FakeRds.error(InvalidDbSnapshotStateException.builder(),
                "InvalidDBSnapshotState", "in use"));
        DeletionPlan done = managed.carryOut(p, OnFailure.THROW_TRANSIENT);
        assertThat(DeletionPlan.ids(done.notDeleted())).containsExactly("a");
        assertThat(DeletionPlan.ids(done.deleted())).containsExactly("b");

        rds.failNext("deleteDBSnapshot", throttled());
        assertThatThrownBy(() -> managed.carryOut(p, OnFailure.THROW_TRANSIENT))
                .isInstanceOf(TransientAwsException.class);

        AwsServiceException unavailable = RdsException.builder().message("Service unavailable").statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable")
                        .errorMessage("Service unavailable").build())
                .build();
        rds.failNext("deleteDBSnapshot", unavailable);
        assertThatThrownBy(() -> managed.carryOut(p, OnFailure.THROW_TRANSIENT)).isInstanceOf(TransientAwsException.class)
                .hasCause(unavailable);
    }

    @Test
    void finalSnapshot_shouldBeTaggedAsOursAndFinal() {
        instance("orders-db-a");
        DeletionPlan.Builder plan = DeletionPlan.protecting(null).delete(listedInstance("orders-db-a"), "old");

        managed.carryOut(plan.build(), OnFailure.THROW_TRANSIENT, true);

        FakeRds.Snap fin = rds.snapshots.get("orders-db-a-final");
        assertThat(fin).isNotNull();
        assertThat(Tags.asMap(fin.tags)).containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                .containsEntry(Tags.KIND, Tags.KIND_FINAL_SNAPSHOT).containsEntry(Tags.REPLICATION_ID, RUN);
    }

    // ---- Aurora clusters: listing, ClusterRetention, writers first ---------------------------------

    void restoredCluster(String id, String run, String snapshotTime, String role) {
        rds.addCluster(id, "available");
        List<software.amazon.awssdk.services.rds.model.Tag> tags = new ArrayList<>(Tags.managedCluster(run, "ledger"));
        tags.add(Tags.tag(Tags.SNAPSHOT_TIME, snapshotTime));
        if (role != null) {
            tags.add(Tags.tag(Tags.ROLE, role));
        }
        rds.clusterTags.put(id, tags);
        FakeRds.Inst writer = rds.addInstance(id + "-writer", "available");
        writer.clusterId = id;
        writer.tags.addAll(Tags.managedCluster(run, "ledger"));
    }

    @Test
    void clusterRetention_shouldKeepTheNewestPromoted_andDeleteOlderRetiredOnesWriterFirst() {
        restoredCluster("ledger-a", "run-a", "2026-11-21T00:00:00Z", Tags.ROLE_RETIRED);
        restoredCluster("ledger-b", "run-b", "2026-11-22T00:00:00Z", Tags.ROLE_RETIRED);
        restoredCluster("ledger-c", "run-c", "2026-11-23T00:00:00Z", Tags.ROLE_CURRENT);
        restoredCluster("ledger-d", "run-d", "2026-11-24T00:00:00Z", null); // a restore in flight
        rds.addCluster("not-ours", "available");

        List<ManagedResource> clusters = managed.clusters();
        assertThat(clusters).extracting(ManagedResource::id).containsExactlyInAnyOrder("ledger-a", "ledger-b",
                "ledger-c", "ledger-d");
        DeletionPlan plan = ClusterRetention.plan(clusters, managed.instances(), 2, "ledger-c");

        assertThat(DeletionPlan.ids(plan.deleted())).containsExactly("ledger-a-writer", "ledger-a");
        assertThat(DeletionPlan.ids(plan.kept())).containsExactlyInAnyOrder("ledger-b", "ledger-c", "ledger-d");
        DeletionPlan done = managed.carryOut(plan, ManagedResources.OnFailure.THROW_TRANSIENT);
        assertThat(DeletionPlan.ids(done.deleted())).containsExactly("ledger-a-writer", "ledger-a");
        assertThat(deleteOrder).containsExactly("ledger-a-writer");
        assertThat(rds.clusters).doesNotContainKey("ledger-a").containsKey("not-ours");
        assertThat(rds.instances).doesNotContainKey("ledger-a-writer").containsKey("ledger-b-writer");
    }

    @Test
    void clusterPlan_shouldNeverDeleteTheSecretsProtectedOrCurrentCluster_norTheirWriters() {
        restoredCluster("ledger-a", "run-a", "2026-11-21T00:00:00Z", Tags.ROLE_CLEANUP);
        restoredCluster("ledger-b", "run-b", "2026-11-22T00:00:00Z", Tags.ROLE_CLEANUP);
        restoredCluster("ledger-c", "run-c", "2026-11-23T00:00:00Z", Tags.ROLE_CLEANUP);
        rds.clusters.put("ledger-b", rds.clusters.get("ledger-b").toBuilder().deletionProtection(true).build());

        DeletionPlan plan = ClusterRetention.plan(managed.clusters(), managed.instances(), 2, "ledger-a");

        assertThat(DeletionPlan.ids(plan.deleted())).containsExactly("ledger-c-writer", "ledger-c");
        assertThat(plan.notDeleted()).extracting(d -> d.resource().id() + ": " + d.reason()).containsExactlyInAnyOrder(
                "ledger-a: it is the cluster the secret points to", "ledger-b: deletion protection is on");
    }

    @Test
    void clusterWithAnInstanceLeft_shouldBeRefused_andTaggedForTheNextRetentionRun() {
        restoredCluster("ledger-a", "run-a", "2026-11-21T00:00:00Z", null);
        ManagedResource cluster = managed.clusters().get(0);
        DeletionPlan plan = DeletionPlan.protecting(null).delete(cluster, "made by a failed run").build();

        DeletionPlan done = managed.carryOut(plan, ManagedResources.OnFailure.REPORT);

        assertThat(done.deleted()).isEmpty();
        assertThat(done.notDeleted().get(0).reason()).contains("a later run deletes it");
        assertThat(rds.clusters).containsKey("ledger-a");
        assertThat(Tags.value(rds.clusterTags.get("ledger-a"), Tags.ROLE)).contains(Tags.ROLE_CLEANUP);
    }
}
