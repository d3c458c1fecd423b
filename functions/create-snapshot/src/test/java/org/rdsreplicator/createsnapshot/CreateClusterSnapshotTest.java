package org.rdsreplicator.createsnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ClusterNotAvailableException;
import org.rdsreplicator.common.errors.ClusterNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.testing.WaitHarness;

/** create-snapshot with {@code dbClusterIdentifier}: a manual cluster snapshot, tagged, waited for, adopted. */
class CreateClusterSnapshotTest {
    WaitHarness h;
    CreateSnapshotService service;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        service = new CreateSnapshotService(h.rds, h.resources, h.waited, h.clock);
        h.rds.addCluster("ledger", "available");
    }

    CreateSnapshotRequest req(String token) {
        return new CreateSnapshotRequest(null, "run-1", "2026-11-24T09:30:00Z", token, "ledger");
    }

    @Test
    void availableCluster_shouldCreateATaggedClusterSnapshot_andWaitOnItsArn() {
        SnapshotInfo s = service.create(req("token-1"));

        assertThat(s.isClusterSnapshot()).isTrue();
        assertThat(s.snapshotIdentifier()).startsWith("ledger-20261124t093000z-");
        assertThat(s.snapshotArn()).contains(":cluster-snapshot:" + s.snapshotIdentifier());
        assertThat(Tags.asMap(h.rds.clusterSnapshotTagLists.get(s.snapshotIdentifier())))
                .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE).containsEntry(Tags.REPLICATION_ID, "run-1")
                .containsEntry(Tags.SOURCE_CLUSTER, "ledger").containsEntry(Tags.KIND, Tags.KIND_SOURCE_SNAPSHOT)
                .doesNotContainKey(Tags.SOURCE_INSTANCE);
        assertThat(h.waits.items).containsKey(s.snapshotArn());
        assertThat(h.rds.calls("createDBSnapshot")).isZero();
    }

    @Test
    void snapshotAlreadyAvailable_shouldCompleteTheTaskAtOnce() {
        h.rds.initialStatus = "available";

        service.create(req("token-1"));

        assertThat(h.sfn.successes).singleElement().satisfies(r -> assertThat(r.taskToken()).isEqualTo("token-1"));
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void retryOfTheSameReplication_shouldAdoptTheClusterSnapshot() {
        SnapshotInfo first = service.create(req("token-1"));
        SnapshotInfo again = service.create(req("token-2"));

        assertThat(again.snapshotArn()).isEqualTo(first.snapshotArn());
        assertThat(h.rds.calls("createDBClusterSnapshot")).isEqualTo(1);
        assertThat(h.waits.items.get(first.snapshotArn()).taskToken()).isEqualTo("token-2");
    }

    @Test
    void snapshotOfAnotherReplicationUnderTheName_shouldNotBeAdopted() {
        SnapshotInfo first = service.create(req("token-1"));
        h.rds.clusterSnapshotTagLists.put(first.snapshotIdentifier(), new java.util.ArrayList<>(
                Tags.managedCluster("run-other", "ledger", Tags.KIND_SOURCE_SNAPSHOT)));

        assertThatThrownBy(() -> service.create(req("token-2"))).isInstanceOf(WaitConflictException.class);
    }

    @Test
    void missingOrBusyCluster_orBothIdentifiers_shouldFailWithANamedError_creatingNothing() {
        assertThatThrownBy(() -> service.create(new CreateSnapshotRequest(null, "run-1", null, "t", "nope")))
                .isInstanceOf(ClusterNotFoundException.class);
        h.rds.addCluster("busy", "backing-up");
        assertThatThrownBy(() -> service.create(new CreateSnapshotRequest(null, "run-1", null, "t", "busy")))
                .isInstanceOf(ClusterNotAvailableException.class);
        assertThatThrownBy(() -> service.create(new CreateSnapshotRequest("orders-db", "run-1", null, "t", "ledger")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not both");
        assertThat(h.rds.calls("createDBClusterSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
        assertThat(h.rds.clusterSnapshots.keySet()).isEqualTo(java.util.Set.of());
    }
}
