package org.rdsreplicator.copysnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.CopyQuotaExceededException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.UnencryptedClusterException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.WaitHarness;

/**
 * copy-snapshot with a cluster-snapshot ARN: CopyDBClusterSnapshot with the ReplicationKey; with no RDS event for
 * the copy, a later invocation (the wait's timeout re-arm) adopts the copy and completes the wait once available.
 */
class CopyClusterSnapshotTest {
    static final String CMK = CopySnapshotServiceTest.CMK;
    static final String SOURCE_ID = "ledger-20261124t093000z-3f2a1b";
    static final String SOURCE_ARN = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster-snapshot:"
            + SOURCE_ID;
    static final String TARGET_ARN = SOURCE_ARN + "-share";

    WaitHarness h;
    CopySnapshotService service;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        service = new CopySnapshotService(h.rds, h.resources, h.waited, () -> Optional.of(CMK), h.headroom);
        h.rds.addClusterSnapshot(SOURCE_ID, "ledger", "available", Instant.parse("2026-11-24T09:31:00Z"),
                Tags.managedCluster("run-1", "ledger", Tags.KIND_SOURCE_SNAPSHOT));
    }

    CopySnapshotRequest req(String token) {
        return new CopySnapshotRequest("run-1", SOURCE_ARN, token);
    }

    @Test
    void clusterSnapshot_shouldBeCopiedWithTheReplicationKey_taggedAsTheShareableCopy() {
        SnapshotInfo copy = service.copy(req("token-1"));

        assertThat(copy.snapshotArn()).isEqualTo(TARGET_ARN);
        assertThat(copy.kmsKeyId()).isEqualTo(CMK);
        assertThat(copy.dbClusterIdentifier()).isEqualTo("ledger");
        assertThat(Tags.asMap(h.rds.clusterSnapshotTagLists.get(SOURCE_ID + "-share")))
                .containsEntry(Tags.KIND, Tags.KIND_SHAREABLE_COPY).containsEntry(Tags.REPLICATION_ID, "run-1")
                .containsEntry(Tags.SOURCE_CLUSTER, "ledger");
        assertThat(h.waits.items).containsKey(TARGET_ARN);
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.rds.calls("copyDBSnapshot")).isZero();
    }

    @Test
    void reinvocationAfterTheWaitTimeout_shouldAdoptTheCopy_andCompleteTheWaitOnceDescribedAvailable() {
        service.copy(req("token-1"));
        service.copy(req("token-2"));                          // still copying: waits again with the new token
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.waits.items.get(TARGET_ARN).taskToken()).isEqualTo("token-2");

        h.rds.settleClusterSnapshot(SOURCE_ID + "-share", "available");
        service.copy(req("token-3"));                          // no event ever came: this Describe completes it

        assertThat(h.rds.calls("copyDBClusterSnapshot")).isEqualTo(1);
        assertThat(h.sfn.successes).singleElement().satisfies(r -> {
            assertThat(r.taskToken()).isEqualTo("token-3");
            assertThat(r.output()).contains(TARGET_ARN).contains("\"dbClusterIdentifier\":\"ledger\"");
        });
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void unencryptedClusterSnapshot_shouldBeRefusedWithANamedError_creatingNothing() {
        h.rds.clusterSnapshots.put(SOURCE_ID, h.rds.clusterSnapshots.get(SOURCE_ID).toBuilder().storageEncrypted(false)
                .build());

        assertThatThrownBy(() -> service.copy(req("token-1"))).isInstanceOf(UnencryptedClusterException.class)
                .hasMessageContaining("cannot encrypt");
        assertThat(h.rds.calls("copyDBClusterSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void missingOrUnfinishedSource_shouldFailWithANamedError() {
        h.rds.settleClusterSnapshot(SOURCE_ID, "creating");
        assertThatThrownBy(() -> service.copy(req("token-1"))).isInstanceOf(ResourceBusyException.class);
        assertThatThrownBy(() -> service.copy(new CopySnapshotRequest("run-1", SOURCE_ARN + "x", "t")))
                .isInstanceOf(SnapshotNotFoundException.class);
        assertThat(h.rds.calls("copyDBClusterSnapshot")).isZero();
    }

    @Test
    void fiveClusterCopiesInProgress_shouldWaitForHeadroom_andStartNothing() {
        for (int n = 0; n < 5; n++) {
            String id = "other-" + n + "-share";
            h.rds.clusterSnapshots.put(id, h.rds.addClusterSnapshot(id, "other-" + n, "copying").toBuilder()
                    .sourceDBClusterSnapshotArn(SOURCE_ARN.replace(SOURCE_ID, "other-" + n)).build());
        }

        assertThatThrownBy(() -> service.copy(req("token-1"))).isInstanceOf(CopyQuotaExceededException.class)
                .hasMessageContaining("quota 5");
        assertThat(h.rds.calls("copyDBClusterSnapshot")).isZero();
        assertThat(h.waits.items).doesNotContainKey(TARGET_ARN);
    }

    @Test
    void fourClusterCopiesInProgress_shouldStartTheCopy() {
        for (int n = 0; n < 4; n++) {
            String id = "other-" + n + "-share";
            h.rds.clusterSnapshots.put(id, h.rds.addClusterSnapshot(id, "other-" + n, "copying").toBuilder()
                    .sourceDBClusterSnapshotArn(SOURCE_ARN.replace(SOURCE_ID, "other-" + n)).build());
        }

        service.copy(req("token-1"));

        assertThat(h.rds.calls("copyDBClusterSnapshot")).isEqualTo(1);
    }
}
