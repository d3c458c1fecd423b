package org.rdsreplicator.copysnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.CopyQuotaExceededException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.WaitHarness;
import org.rdsreplicator.common.testing.InMemoryWaits;
import org.rdsreplicator.common.wait.CopyKind;
import org.rdsreplicator.common.wait.HeadroomQueue;
import org.rdsreplicator.common.wait.WaitCompleter;
import org.rdsreplicator.common.wait.WaitedStart;
import org.rdsreplicator.common.wait.WaitRegistration;

import software.amazon.awssdk.services.rds.model.KmsKeyNotAccessibleException;
import software.amazon.awssdk.services.rds.model.SnapshotQuotaExceededException;

class CopySnapshotServiceTest {
    static final String CMK = "arn:aws:kms:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT
            + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String AWS_RDS_KEY = "arn:aws:kms:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT
            + ":key/aaaaaaaa-0000-0000-0000-000000000000";
    static final String SOURCE_ID = "orders-db-20261124t093000z-3f2a1b";
    static final String TARGET_ID = SOURCE_ID + "-share";

    WaitHarness h;
    CopySnapshotService service;
    FakeRds.Snap source;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        service = service(CMK);
        h.rds.addInstance("orders-db", "available");
        source = h.rds.addSnapshot(SOURCE_ID, "orders-db", "available");
        source.tags.addAll(Tags.managed("run-1", "orders-db", "source-snapshot"));
    }

    CopySnapshotService service(String kmsKey) {
        return new CopySnapshotService(h.rds, h.resources, h.waited, () -> Optional.ofNullable(kmsKey), h.headroom);
    }

    CopySnapshotRequest req(String token) {
        return new CopySnapshotRequest("run-1", source.arn, token);
    }

    String targetArn() {
        return source.arn.replace(SOURCE_ID, TARGET_ID);
    }

    @Test
    void unencryptedSource_shouldBeCopiedEncryptedWithTheConfiguredKey() {
        source.encrypted = false;
        source.kmsKeyId = null;

        SnapshotInfo copy = service.copy(req("token-1"));

        assertThat(copy.snapshotIdentifier()).isEqualTo(TARGET_ID);
        assertThat(copy.snapshotArn()).isEqualTo(targetArn());
        assertThat(copy.encrypted()).isTrue();
        assertThat(copy.kmsKeyId()).isEqualTo(CMK);
        FakeRds.Snap made = h.rds.snapshots.get(TARGET_ID);
        assertThat(made.encrypted).isTrue();
        assertThat(made.kmsKeyId).isEqualTo(CMK);
    }

    @Test
    void sourceUnderDefaultAwsRdsKey_shouldBeReencryptedWithTheConfiguredKey() {
        source.encrypted = true;
        source.kmsKeyId = AWS_RDS_KEY;

        SnapshotInfo copy = service.copy(req(null));

        assertThat(copy.kmsKeyId()).isEqualTo(CMK);
        assertThat(h.rds.snapshots.get(TARGET_ID).kmsKeyId).isEqualTo(CMK);
    }

    @Test
    void sourceUnderTheSameCustomerKey_shouldStillBeCopiedWithTheKeyNamed() {
        source.encrypted = true;
        source.kmsKeyId = CMK;

        service.copy(req(null));

        assertThat(h.rds.snapshots.get(TARGET_ID).kmsKeyId).isEqualTo(CMK);
        assertThat(h.rds.calls("copyDBSnapshot")).isEqualTo(1);
    }

    @Test
    void copy_shouldCarryTheManagedTagsOfThisReplication() {
        service.copy(new CopySnapshotRequest("run-1", source.arn, null));

        assertThat(Tags.asMap(h.rds.snapshots.get(TARGET_ID).tags))
                .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                .containsEntry(Tags.REPLICATION_ID, "run-1")
                .containsEntry(Tags.SOURCE_INSTANCE, "orders-db")
                .containsEntry(Tags.KIND, "shareable-copy");
    }

    @Test
    void waitOnTheCopy_shouldBeRegisteredBeforeTheCopyStarts() {
        List<Boolean> copyExistedAtRegistration = new ArrayList<>();
        InMemoryWaits observing = new InMemoryWaits() {
            @Override
            public synchronized WaitRegistration register(String arn, String token, String rid, String step) {
                copyExistedAtRegistration.add(h.rds.snapshots.containsKey(TARGET_ID));
                return super.register(arn, token, rid, step);
            }
        };
        CopySnapshotService s = new CopySnapshotService(h.rds, h.resources, new WaitedStart(observing,
                new WaitCompleter(observing, h.resources, h.sfn, h.json), h.resources), () -> Optional.of(CMK), h.headroom);

        s.copy(req("token-1"));

        assertThat(copyExistedAtRegistration).containsExactly(false);
        assertThat(observing.items).containsOnlyKeys(targetArn());
        assertThat(observing.items.get(targetArn()).taskToken()).isEqualTo("token-1");
        assertThat(observing.items.get(targetArn()).step()).isEqualTo("copy-snapshot");
        assertThat(h.sfn.successes).isEmpty();
    }

    @Test
    void copyAlreadyAvailable_shouldCompleteTheTaskAtOnce() {
        h.rds.initialStatus = "available";

        service.copy(req("token-1"));

        assertThat(h.sfn.successes).singleElement().satisfies(r -> {
            assertThat(r.taskToken()).isEqualTo("token-1");
            assertThat(r.output()).contains(TARGET_ID).contains(CMK);
        });
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void kmsKeyNotUsable_shouldFailNamedAndLeaveNoWait() {
        h.rds.usableKeys.add("arn:aws:kms:eu-west-1:111111111111:key/some-other-key");

        assertThatThrownBy(() -> service.copy(req("token-1"))).isInstanceOf(KmsKeyNotUsableException.class)
                .hasCauseInstanceOf(KmsKeyNotAccessibleException.class);
        assertThat(h.waits.items).isEmpty();
        assertThat(h.rds.snapshots).containsOnlyKeys(SOURCE_ID);
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.sfn.failures).isEmpty();
    }

    @Test
    void tooManyCopiesInProgress_shouldFailWithCopyQuotaAndReleaseTheWait() {
        h.rds.failNext("copyDBSnapshot", FakeRds.error(SnapshotQuotaExceededException.builder(),
                "SnapshotQuotaExceeded", "Cannot copy: 20 snapshot copies are already in progress"));

        assertThatThrownBy(() -> service.copy(req("token-1"))).isInstanceOf(CopyQuotaExceededException.class);
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void retryOfSameReplication_shouldAdoptTheCopyInsteadOfStartingASecond() {
        SnapshotInfo first = service.copy(req("token-1"));
        SnapshotInfo second = service.copy(req("token-2"));

        assertThat(second.snapshotArn()).isEqualTo(first.snapshotArn());
        assertThat(h.rds.calls("copyDBSnapshot")).isEqualTo(1);
        assertThat(h.rds.snapshots).containsOnlyKeys(SOURCE_ID, TARGET_ID);
        assertThat(h.waits.items.get(targetArn()).taskToken()).isEqualTo("token-2");
    }

    @Test
    void retryAfterTheCopyFinished_shouldAdoptAndCompleteTheNewTask() {
        service.copy(req("token-1"));
        h.rds.settleAll("available");

        service.copy(req("token-2"));

        assertThat(h.rds.calls("copyDBSnapshot")).isEqualTo(1);
        assertThat(h.sfn.successes).singleElement().satisfies(r -> assertThat(r.taskToken()).isEqualTo("token-2"));
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void copyNameTakenByAnotherReplication_shouldFailWithoutTouchingIt() {
        service.copy(req(null));
        FakeRds.Snap other = h.rds.snapshots.get(TARGET_ID);
        other.tags.removeIf(t -> t.key().equals(Tags.REPLICATION_ID));
        other.tags.add(Tags.tag(Tags.REPLICATION_ID, "run-other"));

        assertThatThrownBy(() -> service.copy(req("token-2"))).isInstanceOf(WaitConflictException.class)
                .hasMessageContaining(TARGET_ID);
        assertThat(h.waits.items).isEmpty();
        assertThat(h.rds.calls("copyDBSnapshot")).isEqualTo(1);
    }

    @Test
    void missingKmsKeySetting_shouldFailWithConfigurationBeforeAnyRdsCall() {
        assertThatThrownBy(() -> service(null).copy(req("t"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_KMS_KEY_ARN");
        assertThatThrownBy(() -> service("alias/not-an-arn").copy(req("t")))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> service("arn:aws:sns:eu-west-1:111111111111:topic").copy(req("t")))
                .isInstanceOf(ConfigurationException.class);
        assertThat(h.rds.calls("describeDBSnapshots")).isZero();
        assertThat(h.rds.calls("copyDBSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void badInput_shouldFailWithInvalidInputAndNoSideEffect() {
        assertThatThrownBy(() -> service.copy(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.copy(new CopySnapshotRequest("run-1", null, "t")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.copy(new CopySnapshotRequest("run-1", "snapshot:" + SOURCE_ID, "t")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.copy(new CopySnapshotRequest("run-1",
                "arn:aws:rds:eu-west-1:111111111111:db:orders-db", "t"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a DB snapshot ARN");
        assertThatThrownBy(() -> service.copy(new CopySnapshotRequest(null, source.arn, "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThat(h.rds.calls("copyDBSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void missingSource_shouldFailWithSnapshotNotFound() {
        assertThatThrownBy(() -> service.copy(new CopySnapshotRequest("run-1",
                source.arn.replace(SOURCE_ID, "gone-snapshot"), "t"))).isInstanceOf(SnapshotNotFoundException.class);
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void sourceStillBeingCreated_shouldFailBusyWithoutCopyOrWait() {
        source.status = "creating";

        assertThatThrownBy(() -> service.copy(req("t"))).isInstanceOf(ResourceBusyException.class)
                .hasMessageContaining("creating");
        assertThat(h.rds.calls("copyDBSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void longSourceName_shouldGiveAValidCopyNameWithinLimits() {
        String longId = "a".repeat(40) + "-20261124t093000z-3f2a1b";
        FakeRds.Snap s = h.rds.addSnapshot(longId, "orders-db", "available");

        SnapshotInfo copy = service.copy(new CopySnapshotRequest("run-1", s.arn, null));

        assertThat(copy.snapshotIdentifier()).hasSizeLessThanOrEqualTo(63).endsWith("-share");
        assertThat(Identifiers.isValid(copy.snapshotIdentifier())).isTrue();
    }

    /** Fills the account's copy slots with copies of other replications still in progress. */
    void copiesInProgress(int n) {
        for (int i = 0; i < n; i++) {
            FakeRds.Snap other = h.rds.addSnapshot("other-" + i + "-share", "other-db", "creating");
            other.tags.addAll(Tags.managed("other-run-" + i, "other-db", Tags.KIND_SHAREABLE_COPY));
        }
    }

    String queue() {
        return HeadroomQueue.queue(FakeRds.ACCOUNT, FakeRds.REGION, CopyKind.INSTANCE);
    }

    @Test
    void quotaFull_shouldRaiseCopyQuotaBeforeAnyCopyOrWait() {
        copiesInProgress(20);

        assertThatThrownBy(() -> service.copy(req("token-1"))).isInstanceOf(CopyQuotaExceededException.class)
                .hasMessageContaining("20").hasMessageContaining("run-1");

        assertThat(h.rds.calls("copyDBSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void availableSnapshotsAndSnapshotsBeingCreated_shouldNotCountAsCopies() {
        copiesInProgress(19);
        h.rds.addSnapshot("other-done-share", "other-db", "available").tags
                .addAll(Tags.managed("done", "other-db", Tags.KIND_SHAREABLE_COPY));
        h.rds.addSnapshot("a-new-snapshot", "other-db", "creating").tags
                .addAll(Tags.managed("new", "other-db", Tags.KIND_SOURCE_SNAPSHOT));

        service.copy(req("token-1"));

        assertThat(h.rds.snapshots).containsKey(TARGET_ID);
    }

    @Test
    void waitersAhead_shouldKeepANewCopyOutOfTheFreedSlot() {
        copiesInProgress(19);
        h.headroom.await(CopyKind.INSTANCE, FakeRds.ACCOUNT, FakeRds.REGION, "older-run", "older-token");
        h.sfn.successes.clear();

        assertThatThrownBy(() -> service.copy(req("token-1"))).isInstanceOf(CopyQuotaExceededException.class);
        assertThat(h.rds.calls("copyDBSnapshot")).isZero();
    }

    @Test
    void wokenWaiter_shouldStartItsCopyAndLeaveTheQueue() {
        copiesInProgress(20);
        assertThat(h.headroom.await(CopyKind.INSTANCE, FakeRds.ACCOUNT, FakeRds.REGION, "run-1", "wait-token"))
                .as("no slot: it waits").isTrue();
        h.headroom.await(CopyKind.INSTANCE, FakeRds.ACCOUNT, FakeRds.REGION, "younger-run", "younger-token");
        assertThat(h.sfn.successes).isEmpty();

        // One of the copies in progress settles through the wait completer: the oldest waiter is woken, only it.
        FakeRds.Snap settled = h.rds.snapshots.get("other-0-share");
        h.waits.register(settled.arn, "other-copy-token", "other-run-0", "copy-snapshot");
        settled.status = "available";
        h.completer.settle(settled.arn, false);

        assertThat(h.sfn.successes).extracting(r -> r.taskToken()).containsExactly("other-copy-token", "wait-token");
        service.copy(req("token-1"));

        assertThat(h.rds.snapshots).containsKey(TARGET_ID);
        assertThat(h.headroomQueue.waiters(queue())).extracting(w -> w.replicationId()).containsExactly("younger-run");
    }

    @Test
    void settledSnapshotCreation_shouldWakeNoCopyWaiter() {
        copiesInProgress(20);
        h.headroom.await(CopyKind.INSTANCE, FakeRds.ACCOUNT, FakeRds.REGION, "run-1", "wait-token");
        FakeRds.Snap created = h.rds.addSnapshot("orders-db-new", "orders-db", "available");
        h.waits.register(created.arn, "create-token", "run-2", "create-snapshot");

        h.completer.settle(created.arn, false);

        assertThat(h.sfn.successes).extracting(r -> r.taskToken()).containsExactly("create-token");
    }

    @Test
    void reCheckWithAFreeSlot_shouldSendTheWaiterOnItself() {
        copiesInProgress(20);
        h.headroom.await(CopyKind.INSTANCE, FakeRds.ACCOUNT, FakeRds.REGION, "run-1", "wait-token");
        h.rds.snapshots.get("other-0-share").status = "available";  // settled without any wake-up (lost)

        boolean waits = h.headroom.await(CopyKind.INSTANCE, FakeRds.ACCOUNT, FakeRds.REGION, "run-1", "wait-token-2");

        assertThat(waits).isFalse();
        assertThat(h.sfn.successes).extracting(r -> r.taskToken()).containsExactly("wait-token-2");
    }
}
