package org.rdsreplicator.createsnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.WaitHarness;

import software.amazon.awssdk.services.rds.model.SnapshotQuotaExceededException.Builder;

class CreateSnapshotServiceTest {
    WaitHarness h;
    CreateSnapshotService service;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        service = new CreateSnapshotService(h.rds, h.resources, h.waited, h.clock);
        h.rds.addInstance("orders-db", "available");
    }

    CreateSnapshotRequest req(String token) {
        return new CreateSnapshotRequest("orders-db", "run-1", "2026-11-24T09:30:00Z", token);
    }

    @Test
    void availableInstance_shouldCreateTaggedSnapshotAndRegisterWait() {
        SnapshotInfo s = service.create(req("token-1"));

        assertThat(s.snapshotIdentifier()).startsWith("orders-db-20261124t093000z-").hasSizeLessThanOrEqualTo(63);
        FakeRds.Snap snap = h.rds.snapshots.get(s.snapshotIdentifier());
        assertThat(Tags.asMap(snap.tags)).containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                .containsEntry(Tags.REPLICATION_ID, "run-1").containsEntry(Tags.SOURCE_INSTANCE, "orders-db");
        assertThat(h.waits.items).containsKey(snap.arn);
        assertThat(h.waits.items.get(snap.arn).taskToken()).isEqualTo("token-1");
        assertThat(h.sfn.successes).isEmpty();
    }

    @Test
    void snapshotAlreadyAvailable_shouldCompleteTheTaskAtOnce() {
        h.rds.initialStatus = "available";

        service.create(req("token-1"));

        assertThat(h.sfn.successes).singleElement().satisfies(r -> assertThat(r.taskToken()).isEqualTo("token-1"));
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void retryOfSameReplication_shouldAdoptSnapshotInsteadOfMakingASecond() {
        SnapshotInfo first = service.create(req("token-1"));
        SnapshotInfo second = service.create(req("token-2"));

        assertThat(second.snapshotIdentifier()).isEqualTo(first.snapshotIdentifier());
        assertThat(h.rds.calls("createDBSnapshot")).isEqualTo(1);
        assertThat(h.rds.snapshots).hasSize(1);
        assertThat(h.waits.items.get(first.snapshotArn()).taskToken()).isEqualTo("token-2");
    }

    @Test
    void nameCollisionWithForeignSnapshot_shouldFailWithoutTouchingIt() {
        SnapshotInfo first = service.create(req(null));
        h.rds.snapshots.get(first.snapshotIdentifier()).tags.clear();

        assertThatThrownBy(() -> service.create(req("t"))).isInstanceOf(WaitConflictException.class);
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void missingIdentifier_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> service.create(new CreateSnapshotRequest(null, null, null, "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dbInstanceIdentifier");
        assertThatThrownBy(() -> service.create(new CreateSnapshotRequest("bad--name", null, null, "t")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.create(new CreateSnapshotRequest("orders-db", "bad id!", null, "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThat(h.rds.calls("createDBSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void unknownInstance_shouldFailWithInstanceNotFound() {
        assertThatThrownBy(() -> service.create(new CreateSnapshotRequest("other-db", null, null, "t")))
                .isInstanceOf(InstanceNotFoundException.class);
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void instanceNotAvailable_shouldFailWithoutSnapshotOrWait() {
        h.rds.instances.get("orders-db").status = "modifying";

        assertThatThrownBy(() -> service.create(req("t"))).isInstanceOf(InstanceNotAvailableException.class)
                .hasMessageContaining("modifying");
        assertThat(h.rds.snapshots).isEmpty();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void snapshotQuotaReached_shouldFailNamedAndReleaseTheWait() {
        Builder b = software.amazon.awssdk.services.rds.model.SnapshotQuotaExceededException.builder();
        h.rds.failNext("createDBSnapshot", FakeRds.error(b, "SnapshotQuotaExceeded",
                "Cannot create more than 100 manual snapshots"));

        assertThatThrownBy(() -> service.create(req("t"))).isInstanceOf(SnapshotQuotaExceededException.class);
        assertThat(h.waits.items).isEmpty();
        assertThat(h.rds.snapshots).isEmpty();
    }

    @Test
    void noReplicationId_shouldDeriveOneFromInstanceAndTime() {
        SnapshotInfo s = service.create(new CreateSnapshotRequest("orders-db", null, null, null));

        assertThat(Tags.value(h.rds.snapshots.get(s.snapshotIdentifier()).tags, Tags.REPLICATION_ID))
                .contains("orders-db-20261124t093000z");
    }
}
