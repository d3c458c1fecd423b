package org.rdsreplicator.sharesnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.ShareNotAppliedException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.testing.FakeRds;

import software.amazon.awssdk.services.rds.model.ModifyDbClusterSnapshotAttributeRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbClusterSnapshotAttributeResponse;

/** share-snapshot with a cluster-snapshot ARN: ModifyDBClusterSnapshotAttribute(restore), verified by reading back. */
class ShareClusterSnapshotTest {
    static final List<String> TWO = ShareSnapshotServiceTest.TWO;
    static final String COPY_ID = "ledger-20261124t093000z-3f2a1b-share";
    static final String COPY_ARN = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster-snapshot:"
            + COPY_ID;

    FakeRds rds;

    @BeforeEach
    void setUp() {
        rds = new FakeRds();
        rds.addClusterSnapshot(COPY_ID, "ledger", "available", Instant.parse("2026-11-24T09:40:00Z"),
                Tags.managedCluster("run-1", "ledger", Tags.KIND_SHAREABLE_COPY));
    }

    ShareSnapshotService service(List<String> accounts) {
        return new ShareSnapshotService(rds, new RdsResources(rds), () -> Optional.ofNullable(accounts));
    }

    @Test
    void clusterCopy_shouldBeSharedWithEveryDestination_andVerified() {
        ShareSnapshotResult r = service(TWO).share(new ShareSnapshotRequest("run-1", COPY_ARN));

        assertThat(r.snapshotArn()).isEqualTo(COPY_ARN);
        assertThat(r.sharedWith()).isEqualTo(TWO);
        assertThat(rds.clusterSnapshotRestoreAccounts.get(COPY_ID)).containsExactlyElementsOf(TWO);
        assertThat(rds.calls("describeDBClusterSnapshotAttributes")).isEqualTo(2);
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();
    }

    @Test
    void secondCall_shouldAddNothing() {
        service(TWO).share(new ShareSnapshotRequest("run-1", COPY_ARN));
        service(TWO).share(new ShareSnapshotRequest("run-1", COPY_ARN));

        assertThat(rds.calls("modifyDBClusterSnapshotAttribute")).isEqualTo(1);
    }

    @Test
    void shareThatDoesNotShowUp_shouldBeANamedRetriableError() {
        FakeRds lying = new FakeRds() {
            @Override
            public ModifyDbClusterSnapshotAttributeResponse modifyDBClusterSnapshotAttribute(
                    ModifyDbClusterSnapshotAttributeRequest r) {
                return ModifyDbClusterSnapshotAttributeResponse.builder().build();  // accepted, not applied
            }
        };
        lying.addClusterSnapshot(COPY_ID, "ledger", "available", Instant.now(),
                Tags.managedCluster("run-1", "ledger", Tags.KIND_SHAREABLE_COPY));
        ShareSnapshotService s = new ShareSnapshotService(lying, new RdsResources(lying), () -> Optional.of(TWO));

        assertThatThrownBy(() -> s.share(new ShareSnapshotRequest("run-1", COPY_ARN)))
                .isInstanceOf(ShareNotAppliedException.class).hasMessageContaining("222222222222");
    }

    @Test
    void unmanagedOrOtherReplicationsOrUnfinishedCopy_shouldNotBeShared() {
        rds.addClusterSnapshot("foreign", "ledger", "available", Instant.now(), List.of());
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest("run-1", COPY_ARN.replace(COPY_ID,
                "foreign")))).isInstanceOf(InvalidInputException.class).hasMessageContaining("not tagged");
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest("run-2", COPY_ARN)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("belongs to replication run-1");
        rds.settleClusterSnapshot(COPY_ID, "copying");
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest("run-1", COPY_ARN)))
                .isInstanceOf(ResourceBusyException.class);
        assertThat(rds.calls("modifyDBClusterSnapshotAttribute")).isZero();
        assertThat(rds.clusterSnapshotRestoreAccounts.getOrDefault(COPY_ID, Set.of())).isEmpty();
    }
}
