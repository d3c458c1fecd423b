package org.rdsreplicator.prunesnapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.Harness;

import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbSnapshotStateException;
import software.amazon.awssdk.services.rds.model.RdsException;

/** Retention of the source account's snapshots over FakeRds: what goes, and everything that must stay. */
class PruneSnapshotsServiceTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:30:00Z");
    static final String INSTANCE = "orders-db";
    static final String R1 = "orders-db-20261121T093000Z";
    static final String R2 = "orders-db-20261122T093000Z";
    static final String R3 = "orders-db-20261123T093000Z";
    static final String CURRENT = "orders-db-20261124T093000Z";
    static final String IN_PROGRESS = "orders-db-20261125T093000Z";

    // Managed snapshots of orders-db, one pair per finished replication.
    static final String SRC_1 = "orders-db-20261121t093000z-111111";
    static final String COPY_1 = SRC_1 + "-share";
    static final String SRC_2 = "orders-db-20261122t093000z-222222";
    static final String COPY_2 = SRC_2 + "-share";
    static final String SRC_3 = "orders-db-20261123t093000z-333333";
    static final String COPY_3 = SRC_3 + "-share";
    static final String SRC_CUR = "orders-db-20261124t093000z-444444";
    static final String COPY_CUR = SRC_CUR + "-share";
    /** A run started after the current one, its copy not made yet. */
    static final String SRC_RUNNING = "orders-db-20261125t093000z-555555";
    /** An old copy that failed: never deleted by this function. */
    static final String COPY_FAILED = "orders-db-20261120t093000z-000000-share";
    // Everything that must never be touched.
    static final String BY_HAND = "orders-db-by-hand";
    static final String OTHER_OWNER = "orders-db-other-owner";
    static final String OTHER_INSTANCE = "reporting-db-20261121t093000z-999999-share";
    static final String TAGGED_OTHER_SOURCE = "orders-db-restored-from-reporting";
    static final String AUTOMATED = "rds:orders-db-2026-11-21-03-00";

    Harness h;
    int keep = 2;
    Duration hold = Duration.ZERO;
    /** The prune runs on day 4.5, half a day after the current replication's copy was made. */
    Clock clock = Clock.fixed(T0.plus(Duration.ofHours(4 * 24 + 12)), ZoneOffset.UTC);
    PruneSnapshotsService service;

    @BeforeEach
    void setUp() {
        h = new Harness();
        service = new PruneSnapshotsService(h.managed, new SnapshotRetentionConfig() {
            @Override
            public int keep() {
                return keep;
            }

            @Override
            public Duration hold() {
                return hold;
            }
        }, clock);
        h.rds.addInstance(INSTANCE, "available");
        h.rds.addInstance("reporting-db", "available");
        managed(COPY_FAILED, 0, "failed", "orders-db-20261120T093000Z", "shareable-copy");
        pair(SRC_1, COPY_1, 1, R1);
        pair(SRC_2, COPY_2, 2, R2);
        pair(SRC_3, COPY_3, 3, R3);
        pair(SRC_CUR, COPY_CUR, 4, CURRENT);
        managed(SRC_RUNNING, 5, "available", IN_PROGRESS, "source-snapshot");

        snap(BY_HAND, INSTANCE, 0, "available");
        FakeRds.Snap other = snap(OTHER_OWNER, INSTANCE, 0, "available");
        other.tags.addAll(List.of(Tags.tag(Tags.MANAGED_BY, "someone-else"), Tags.tag(Tags.SOURCE_INSTANCE, INSTANCE),
                Tags.tag(Tags.REPLICATION_ID, R1), Tags.tag(Tags.KIND, "shareable-copy")));
        snap(OTHER_INSTANCE, "reporting-db", 0, "available").tags
                .addAll(Tags.managed("reporting-db-20261121T093000Z", "reporting-db", "shareable-copy"));
        // Listed with orders-db but made from another instance's data by this system: not orders-db's.
        snap(TAGGED_OTHER_SOURCE, INSTANCE, 0, "available").tags
                .addAll(Tags.managed(R1, "reporting-db", "shareable-copy"));
        FakeRds.Snap automated = snap(AUTOMATED, INSTANCE, 0, "available");
        automated.type = "automated";
        automated.tags.addAll(Tags.managed(R1, INSTANCE, "source-snapshot"));
    }

    FakeRds.Snap snap(String id, String instance, double day, String status) {
        FakeRds.Snap s = h.rds.addSnapshot(id, instance, status);
        s.created = T0.plus((long) (day * 24 * 60), ChronoUnit.MINUTES);
        return s;
    }

    FakeRds.Snap managed(String id, double day, String status, String replicationId, String kind) {
        FakeRds.Snap s = snap(id, INSTANCE, day, status);
        s.tags.addAll(Tags.managed(replicationId, INSTANCE, kind));
        return s;
    }

    /** A finished replication: its source snapshot and, a little later, its shareable copy. */
    void pair(String src, String copy, double day, String replicationId) {
        managed(src, day, "available", replicationId, "source-snapshot");
        managed(copy, day + 0.01, "available", replicationId, "shareable-copy");
    }

    PruneSnapshotsRequest req() {
        return new PruneSnapshotsRequest(CURRENT, INSTANCE);
    }

    @Test
    void finishedReplications_shouldDeleteOnlyUsedSourceSnapshotsAndOldCopiesOfThisInstance() {
        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.deleted()).containsExactlyInAnyOrder(SRC_1, SRC_2, SRC_3, SRC_CUR, COPY_1, COPY_2);
        assertThat(r.kept()).containsExactlyInAnyOrder(COPY_CUR, COPY_3, SRC_RUNNING, COPY_FAILED);
        assertThat(r.notDeleted()).isEmpty();
        assertThat(h.rds.snapshots.keySet()).containsExactlyInAnyOrder(COPY_CUR, COPY_3, SRC_RUNNING, COPY_FAILED,
                BY_HAND, OTHER_OWNER, OTHER_INSTANCE, TAGGED_OTHER_SOURCE, AUTOMATED);
        assertThat(h.rds.calls("deleteDBSnapshot")).isEqualTo(6);
    }

    @Test
    void copiesYoungerThanTheHold_shouldBeKeptWhateverTheirRank() {
        // A destination may take up to 2 days to copy: day 3's copy (1.5 days old) stays although only the newest
        // one is kept by rank; day 2's (2.5 days old) is past the hold and goes.
        keep = 1;
        hold = Duration.ofDays(2);

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.kept()).contains(COPY_CUR, COPY_3);
        assertThat(r.deleted()).contains(COPY_1, COPY_2).doesNotContain(COPY_3);
        assertThat(h.rds.snapshots).containsKeys(COPY_CUR, COPY_3).doesNotContainKeys(COPY_1, COPY_2);
    }

    @Test
    void holdLongerThanEveryCopysAge_shouldDeleteNoCopyButStillTheUsedSourceSnapshots() {
        keep = 1;
        hold = Duration.ofDays(30);

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.deleted()).containsExactlyInAnyOrder(SRC_1, SRC_2, SRC_3, SRC_CUR);
        assertThat(h.rds.snapshots).containsKeys(COPY_1, COPY_2, COPY_3, COPY_CUR);
    }

    @Test
    void negativeHold_shouldFailWithConfigurationAndDeleteNothing() {
        hold = Duration.ofHours(-1);

        assertThatThrownBy(() -> service.prune(req())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_SNAPSHOT_RETENTION_HOLD");
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
    }

    @Test
    void secondRun_shouldDeleteNothing() {
        service.prune(req());
        int deletes = h.rds.calls("deleteDBSnapshot");

        PruneSnapshotsResult again = service.prune(req());

        assertThat(again.deleted()).isEmpty();
        assertThat(again.notDeleted()).isEmpty();
        assertThat(again.kept()).containsExactlyInAnyOrder(COPY_CUR, COPY_3, SRC_RUNNING, COPY_FAILED);
        assertThat(h.rds.calls("deleteDBSnapshot")).isEqualTo(deletes);
    }

    @Test
    void runStillCopying_shouldKeepItsSourceSnapshotAndCountItsCopyAmongTheNewest() {
        managed(SRC_RUNNING + "-share", 5.01, "creating", IN_PROGRESS, "shareable-copy");

        PruneSnapshotsResult r = service.prune(req());

        // Newest two: the running copy and the current one; COPY_3 is now older than both.
        assertThat(r.kept()).contains(SRC_RUNNING, SRC_RUNNING + "-share", COPY_CUR).doesNotContain(COPY_3);
        assertThat(r.deleted()).contains(COPY_3).doesNotContain(SRC_RUNNING);
        assertThat(h.rds.snapshots).containsKeys(SRC_RUNNING, SRC_RUNNING + "-share", COPY_CUR);
    }

    @Test
    void sourceSnapshotWhoseCopyIsNotAvailable_shouldBeKept() {
        h.rds.snapshots.get(COPY_3).status = "copying";

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.kept()).contains(SRC_3, COPY_3);
        assertThat(h.rds.snapshots).containsKeys(SRC_3, COPY_3);
    }

    @Test
    void keepOne_shouldStillKeepTheCurrentReplicationsCopy() {
        keep = 1;
        // A later run finished first: its copy is newer than the current one.
        pair("orders-db-20261126t093000z-666666", "orders-db-20261126t093000z-666666-share", 6,
                "orders-db-20261126T093000Z");

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.kept()).contains("orders-db-20261126t093000z-666666-share", COPY_CUR);
        assertThat(r.deleted()).contains(COPY_3, COPY_2, COPY_1).doesNotContain(COPY_CUR);
        assertThat(h.rds.snapshots).containsKey(COPY_CUR);
    }

    @Test
    void keepThree_shouldKeepThreeNewestCopies() {
        keep = 3;

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.kept()).contains(COPY_CUR, COPY_3, COPY_2);
        assertThat(r.deleted()).contains(COPY_1).doesNotContain(COPY_2);
    }

    @Test
    void keepBelowOne_shouldFailWithConfigurationExceptionBeforeAnyCall() {
        keep = 0;
        int before = h.rds.snapshots.size();

        assertThatThrownBy(() -> service.prune(req())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_SNAPSHOT_RETENTION_KEEP");
        assertThat(h.rds.calls("describeDBSnapshots")).isZero();
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
        assertThat(h.rds.snapshots).hasSize(before);
    }

    @Test
    void invalidInput_shouldFailWithInvalidInputAndCallNothing() {
        assertThatThrownBy(() -> service.prune(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.prune(new PruneSnapshotsRequest(CURRENT, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dbInstanceIdentifier");
        assertThatThrownBy(() -> service.prune(new PruneSnapshotsRequest(CURRENT, "orders--db")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.prune(new PruneSnapshotsRequest(null, INSTANCE)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThatThrownBy(() -> service.prune(new PruneSnapshotsRequest("bad id!", INSTANCE)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThat(h.rds.calls("describeDBSnapshots")).isZero();
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
    }

    @Test
    void deleteRefused_shouldReportNotDeletedAndGoOn() {
        h.rds.failNext("deleteDBSnapshot", FakeRds.error(InvalidDbSnapshotStateException.builder(),
                "InvalidDBSnapshotState", "snapshot is being shared"));

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.notDeleted()).hasSize(1);
        assertThat(r.deleted()).hasSize(5).doesNotContainAnyElementsOf(r.notDeleted());
        assertThat(h.rds.snapshots).containsKeys(r.notDeleted().get(0));
        assertThat(h.rds.calls("deleteDBSnapshot")).isEqualTo(6);
    }

    @Test
    void snapshotAlreadyGone_shouldCountAsDeleted() {
        h.rds.failNext("deleteDBSnapshot", FakeRds.error(DbSnapshotNotFoundException.builder(),
                "DBSnapshotNotFound", "DBSnapshot not found"));

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.deleted()).containsExactlyInAnyOrder(SRC_1, SRC_2, SRC_3, SRC_CUR, COPY_1, COPY_2);
        assertThat(r.notDeleted()).isEmpty();
    }

    @Test
    void throttledDelete_shouldFailWithTransientAwsException() {
        h.rds.failNext("deleteDBSnapshot", FakeRds.error(RdsException.builder(), "Throttling", "Rate exceeded"));

        assertThatThrownBy(() -> service.prune(req())).isInstanceOf(TransientAwsException.class);
    }

    @Test
    void throttledListing_shouldFailWithTransientAwsExceptionAndDeleteNothing() {
        h.rds.failNext("describeDBSnapshots", FakeRds.error(RdsException.builder(), "Throttling", "Rate exceeded"));

        assertThatThrownBy(() -> service.prune(req())).isInstanceOf(TransientAwsException.class);
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
    }

    @Test
    void snapshotAlreadyDeleting_shouldBeIgnoredAndNotCountAmongTheNewest() {
        h.rds.snapshots.get(COPY_CUR).status = "deleting";
        keep = 1;

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.kept()).contains(COPY_3).doesNotContain(COPY_CUR);
        assertThat(r.deleted()).doesNotContain(COPY_CUR, COPY_3);
    }

    @Test
    void tagsMissingFromDescribe_shouldBeReadWithListTagsForResource() {
        h.rds.describeOmitsTags = true;

        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.deleted()).containsExactlyInAnyOrder(SRC_1, SRC_2, SRC_3, SRC_CUR, COPY_1, COPY_2);
        assertThat(h.rds.snapshots).containsKeys(BY_HAND, OTHER_OWNER, TAGGED_OTHER_SOURCE, AUTOMATED);
        assertThat(h.rds.calls("listTagsForResource")).isPositive();
    }

    @Test
    void tagsInDescribe_shouldNeedNoListTagsForResource() {
        PruneSnapshotsResult r = service.prune(req());

        assertThat(r.deleted()).hasSize(6);
        assertThat(h.rds.calls("listTagsForResource")).isZero();
        assertThat(h.rds.calls("describeDBSnapshots")).isEqualTo(1);
    }
}
