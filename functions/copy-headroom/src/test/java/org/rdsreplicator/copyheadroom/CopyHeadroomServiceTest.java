package org.rdsreplicator.copyheadroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.InMemoryHeadroomQueue;
import org.rdsreplicator.common.testing.WaitHarness;
import org.rdsreplicator.common.wait.CopyHeadroom;
import org.rdsreplicator.common.wait.CopyKind;
import org.rdsreplicator.common.wait.HeadroomQueue;

import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterSnapshotsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterSnapshotsResponse;

class CopyHeadroomServiceTest {
    WaitHarness h;
    CopyHeadroomService service;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        service = new CopyHeadroomService(h.headroom, () -> Optional.of(FakeRds.ACCOUNT), () -> FakeRds.REGION);
    }

    void copiesInProgress(int n) {
        for (int i = 0; i < n; i++) {
            h.rds.addSnapshot("busy-" + i + "-local", "db", "creating").tags
                    .addAll(Tags.managed("busy-" + i, "db", Tags.KIND_LOCAL_COPY));
        }
    }

    String queue() {
        return HeadroomQueue.queue(FakeRds.ACCOUNT, FakeRds.REGION, CopyKind.INSTANCE);
    }

    @Test
    void noFreeSlot_shouldRegisterTheTokenAndWait() {
        copiesInProgress(20);

        CopyHeadroomResult r = service.await(new CopyHeadroomRequest("run-1", "instance", "token-1"));

        assertThat(r.waiting()).isTrue();
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.headroomQueue.waiters(queue())).extracting(w -> w.taskToken()).containsExactly("token-1");
    }

    @Test
    void freeSlot_shouldCompleteItsOwnTaskAtOnce() {
        copiesInProgress(19);

        CopyHeadroomResult r = service.await(new CopyHeadroomRequest("run-1", "instance", "token-1"));

        assertThat(r.waiting()).isFalse();
        assertThat(h.sfn.successes).extracting(s -> s.taskToken()).containsExactly("token-1");
    }

    @Test
    void reCheck_shouldKeepItsPlaceAheadOfYoungerWaiters() {
        copiesInProgress(20);
        service.await(new CopyHeadroomRequest("run-1", "instance", "token-1"));
        service.await(new CopyHeadroomRequest("run-2", "instance", "token-2"));
        service.await(new CopyHeadroomRequest("run-1", "instance", "token-1b"));  // its timeout's re-check

        assertThat(h.headroomQueue.waiters(queue())).extracting(w -> w.replicationId() + "/" + w.taskToken())
                .containsExactly("run-1/token-1b", "run-2/token-2");
    }

    @Test
    void clusterQueue_shouldCountClusterCopiesOnly() {
        copiesInProgress(20);
        FakeRds withClusterCopies = new FakeRds() {
            @Override
            public DescribeDbClusterSnapshotsResponse describeDBClusterSnapshots(DescribeDbClusterSnapshotsRequest r) {
                return DescribeDbClusterSnapshotsResponse.builder().dbClusterSnapshots(
                        DBClusterSnapshot.builder().dbClusterSnapshotIdentifier("c1").status("creating")
                                .sourceDBClusterSnapshotArn("arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:x").build(),
                        DBClusterSnapshot.builder().dbClusterSnapshotIdentifier("c2").status("available")
                                .sourceDBClusterSnapshotArn("arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:y").build())
                        .build();
            }
        };
        withClusterCopies.snapshots.putAll(h.rds.snapshots);
        CopyHeadroom headroom = new CopyHeadroom(withClusterCopies, h.headroomQueue, h.sfn,
                new InMemoryHeadroomQueue.Quotas(20, 2));

        assertThat(headroom.copiesInProgress(CopyKind.CLUSTER)).isEqualTo(1);
        assertThat(headroom.copiesInProgress(CopyKind.INSTANCE)).isEqualTo(20);
        CopyHeadroomResult r = new CopyHeadroomService(headroom, () -> Optional.of(FakeRds.ACCOUNT),
                () -> FakeRds.REGION).await(new CopyHeadroomRequest("run-1", "cluster", "token-1"));
        assertThat(r.waiting()).isFalse();
        assertThat(h.sfn.successes).extracting(s -> s.taskToken()).containsExactly("token-1");
    }

    @Test
    void badInput_shouldBeRefusedNamedWithNothingRegistered() {
        assertThatThrownBy(() -> service.await(new CopyHeadroomRequest("run-1", "volume", "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("volume");
        assertThatThrownBy(() -> service.await(new CopyHeadroomRequest("run-1", "instance", null)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.await(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new CopyHeadroomService(h.headroom, Optional::empty, () -> FakeRds.REGION)
                .await(new CopyHeadroomRequest("run-1", "instance", "t"))).isInstanceOf(ConfigurationException.class);
        assertThat(h.headroomQueue.items).isEmpty();
    }
}
