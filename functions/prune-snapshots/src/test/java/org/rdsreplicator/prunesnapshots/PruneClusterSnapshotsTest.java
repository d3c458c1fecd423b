package org.rdsreplicator.prunesnapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.Harness;

import software.amazon.awssdk.services.rds.model.Tag;

/** Retention of an Aurora cluster's cluster snapshots: the instance rules, per source cluster, by tags only. */
class PruneClusterSnapshotsTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:30:00Z");
    static final String CLUSTER = "ledger";

    Harness h;
    Duration hold = Duration.ZERO;
    PruneSnapshotsService service;

    @BeforeEach
    void setUp() {
        h = new Harness();
        Clock clock = Clock.fixed(T0.plus(Duration.ofDays(5)), ZoneOffset.UTC);
        service = new PruneSnapshotsService(h.managed, new SnapshotRetentionConfig() {
            @Override
            public int keep() {
                return 2;
            }

            @Override
            public Duration hold() {
                return hold;
            }
        }, clock);
        for (int day = 1; day <= 4; day++) {
            String run = "ledger-run-" + day;
            add("ledger-src-" + day, day, Tags.managedCluster(run, CLUSTER, Tags.KIND_SOURCE_SNAPSHOT));
            add("ledger-src-" + day + "-share", day, Tags.managedCluster(run, CLUSTER, Tags.KIND_SHAREABLE_COPY));
        }
        add("ledger-by-hand", 0, List.of());
        add("ledger-other-owner", 0, List.of(Tags.tag(Tags.MANAGED_BY, "someone-else"),
                Tags.tag(Tags.SOURCE_CLUSTER, CLUSTER), Tags.tag(Tags.KIND, Tags.KIND_SHAREABLE_COPY)));
        add("reporting-old-share", 0, Tags.managedCluster("reporting-run-0", "reporting", Tags.KIND_SHAREABLE_COPY));
        // A DB snapshot of an instance of the same name is not the cluster's.
        h.rds.addSnapshot("ledger-instance-share", CLUSTER, "available").tags
                .addAll(Tags.managed("ledger-run-0", CLUSTER, Tags.KIND_SHAREABLE_COPY));
    }

    void add(String id, int day, List<Tag> tags) {
        h.rds.addClusterSnapshot(id, id.startsWith("reporting") ? "reporting" : CLUSTER, "available",
                T0.plus(Duration.ofDays(day)), tags);
    }

    @Test
    void clusterRun_shouldKeepTheTwoNewestCopies_andDeleteOlderCopiesAndReplacedSnapshots() {
        PruneSnapshotsResult r = service.prune(new PruneSnapshotsRequest("ledger-run-4", null, CLUSTER));

        assertThat(r.deleted()).containsExactlyInAnyOrder("ledger-src-1", "ledger-src-2", "ledger-src-3",
                "ledger-src-4", "ledger-src-1-share", "ledger-src-2-share");
        assertThat(r.kept()).containsExactlyInAnyOrder("ledger-src-4-share", "ledger-src-3-share");
        assertThat(h.rds.clusterSnapshots).containsOnlyKeys("ledger-src-3-share", "ledger-src-4-share",
                "ledger-by-hand", "ledger-other-owner", "reporting-old-share");
        assertThat(h.rds.snapshots).containsKey("ledger-instance-share");
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
    }

    @Test
    void holdHours_shouldKeepRecentClusterCopies() {
        hold = Duration.ofDays(4);

        PruneSnapshotsResult r = service.prune(new PruneSnapshotsRequest("ledger-run-4", null, CLUSTER));

        assertThat(r.deleted()).doesNotContain("ledger-src-2-share").contains("ledger-src-1-share");
    }

    @Test
    void bothIdentifiers_shouldBeRefusedDeletingNothing() {
        assertThatThrownBy(() -> service.prune(new PruneSnapshotsRequest("ledger-run-4", "orders-db", CLUSTER)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(h.rds.calls("deleteDBClusterSnapshot")).isZero();
    }
}
