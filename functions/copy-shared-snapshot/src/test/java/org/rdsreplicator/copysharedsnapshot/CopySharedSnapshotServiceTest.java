package org.rdsreplicator.copysharedsnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.CopyQuotaExceededException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;
import org.rdsreplicator.common.errors.OptionGroupRequiredException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.InMemoryHeadroomQueue;
import org.rdsreplicator.common.testing.InMemoryWaits;
import org.rdsreplicator.common.testing.RecordingSfn;
import org.rdsreplicator.common.wait.WaitCompleter;
import org.rdsreplicator.common.wait.CopyHeadroom;
import org.rdsreplicator.common.wait.WaitedStart;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.SnapshotQuotaExceededException;

/** The cross-account semantics over an in-memory RDS (moto cannot copy a foreign snapshot by ARN). */
class CopySharedSnapshotServiceTest {
    static final String SOURCE_ACCOUNT = "999999999999";
    static final String SHARED_ID = "orders-db-20261124t093000z-4469ce-share";
    static final String LOCAL_ID = SHARED_ID + "-local";
    static final String KEY = "arn:aws:kms:eu-west-1:" + FakeRds.ACCOUNT + ":key/destination-key";
    static final String LOCAL_ARN = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":snapshot:" + LOCAL_ID;

    SharingRds rds;
    InMemoryWaits waits;
    RecordingSfn sfn;
    CopySharedSnapshotConfig config;
    CopySharedSnapshotService service;
    InMemoryHeadroomQueue headroomQueue;
    FakeRds.Snap shared;

    @BeforeEach
    void setUp() {
        rds = new SharingRds();
        waits = new InMemoryWaits();
        headroomQueue = new InMemoryHeadroomQueue();
        sfn = new RecordingSfn();
        config = mock(CopySharedSnapshotConfig.class);
        when(config.kmsKeyArn()).thenReturn(Optional.of(KEY));
        when(config.accountId()).thenReturn(Optional.of(FakeRds.ACCOUNT));
        service = newService();
        shared = rds.addForeignSnapshot(SOURCE_ACCOUNT, SHARED_ID, true);
    }

    CopySharedSnapshotService newService() {
        RdsResources resources = new RdsResources(rds);
        CopyHeadroom headroom = new CopyHeadroom(rds, headroomQueue, sfn, new InMemoryHeadroomQueue.Quotas(20, 5));
        return new CopySharedSnapshotService(rds, resources,
                new WaitedStart(waits, new WaitCompleter(waits, resources, sfn, new ObjectMapper(), headroom), resources),
                config, () -> FakeRds.REGION, headroom);
    }

    CopySharedSnapshotRequest req(String token) {
        return new CopySharedSnapshotRequest("orders-db-20261124T093000Z", shared.arn, "orders-db", null, token);
    }

    @Test
    void sharedSnapshot_shouldBeCopiedByArnReEncryptedWithLocalKeyAndTagged() {
        SnapshotInfo copy = service.copy(req("token-1"));

        assertThat(rds.lastCopy.sourceDBSnapshotIdentifier()).isEqualTo(shared.arn);
        assertThat(rds.lastCopy.kmsKeyId()).isEqualTo(KEY);
        assertThat(rds.lastCopy.sourceRegion()).isNull();
        assertThat(copy.snapshotIdentifier()).isEqualTo(LOCAL_ID);
        assertThat(copy.snapshotArn()).isEqualTo(LOCAL_ARN);
        assertThat(copy.kmsKeyId()).isEqualTo(KEY);
        assertThat(Tags.asMap(rds.snapshots.get(LOCAL_ID).tags))
                .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                .containsEntry(Tags.REPLICATION_ID, "orders-db-20261124T093000Z")
                .containsEntry(Tags.SOURCE_INSTANCE, "orders-db")
                .containsEntry(Tags.KIND, "local-copy")
                .containsEntry(Tags.SOURCE_ACCOUNT, SOURCE_ACCOUNT);
        // Registered under the ARN RDS gives the copy, before RDS was asked to make it.
        assertThat(waits.items).containsOnlyKeys(LOCAL_ARN);
        assertThat(waits.items.get(LOCAL_ARN).taskToken()).isEqualTo("token-1");
        assertThat(waits.items.get(LOCAL_ARN).step()).isEqualTo("copy-shared-snapshot");
        assertThat(sfn.successes).isEmpty();
    }

    @Test
    void copyAvailableAtOnce_shouldCompleteTheTaskAtOnce() {
        rds.initialStatus = "available";

        service.copy(req("token-1"));

        assertThat(sfn.successes).singleElement().satisfies(r -> {
            assertThat(r.taskToken()).isEqualTo("token-1");
            assertThat(r.output()).contains(LOCAL_ARN);
        });
        assertThat(waits.items).isEmpty();
    }

    @Test
    void retryOfSameReplication_shouldAdoptTheCopyInsteadOfMakingASecond() {
        SnapshotInfo first = service.copy(req("token-1"));
        SnapshotInfo second = service.copy(req("token-2"));

        assertThat(second.snapshotArn()).isEqualTo(first.snapshotArn());
        assertThat(rds.calls("copyDBSnapshot")).isEqualTo(1);
        assertThat(waits.items.get(LOCAL_ARN).taskToken()).isEqualTo("token-2");
    }

    @Test
    void copyMadeByAConcurrentAttempt_shouldBeAdoptedWhenCopyReportsAlreadyExists() {
        service.copy(req(null));
        // The Describe of the next attempt misses it (as if made in between); the copy call then collides.
        rds.failNext("describeDBSnapshots", FakeRds.error(DbSnapshotNotFoundException.builder(),
                "DBSnapshotNotFound", "not found"));

        SnapshotInfo again = service.copy(req("token-2"));

        assertThat(again.snapshotArn()).isEqualTo(LOCAL_ARN);
        assertThat(rds.calls("copyDBSnapshot")).isEqualTo(2);
        assertThat(waits.items.get(LOCAL_ARN).taskToken()).isEqualTo("token-2");
    }

    @Test
    void nameTakenByAnotherReplication_shouldFailWithoutTouchingIt() {
        service.copy(req(null));
        rds.snapshots.get(LOCAL_ID).tags.removeIf(t -> t.key().equals(Tags.REPLICATION_ID));

        assertThatThrownBy(() -> service.copy(req("t"))).isInstanceOf(WaitConflictException.class);
        assertThat(waits.items).isEmpty();
        assertThat(rds.calls("copyDBSnapshot")).isEqualTo(1);
    }

    @Test
    void snapshotNotSharedWithThisAccount_shouldFailWithSnapshotNotFoundAndReleaseTheWait() {
        shared.restoreAccounts.clear();

        assertThatThrownBy(() -> service.copy(req("t"))).isInstanceOf(SnapshotNotFoundException.class)
                .hasMessageContaining("shared with this account");
        assertThat(waits.items).isEmpty();
        assertThat(rds.snapshots).isEmpty();
    }

    @Test
    void kmsKeyNotConfigured_shouldFailWithConfigurationExceptionBeforeAnything() {
        when(config.kmsKeyArn()).thenReturn(Optional.empty());

        assertThatThrownBy(() -> service.copy(req("t"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_KMS_KEY_ARN");
        assertThat(rds.calls("copyDBSnapshot")).isZero();
        assertThat(waits.items).isEmpty();
    }

    @Test
    void accountNotConfigured_shouldFailWithConfigurationExceptionBeforeAnything() {
        when(config.accountId()).thenReturn(Optional.empty());
        service = newService();

        assertThatThrownBy(() -> service.copy(req("t"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_ACCOUNT_ID");
        assertThat(rds.calls("copyDBSnapshot")).isZero();
        assertThat(waits.items).isEmpty();
    }

    @Test
    void kmsKeyNotUsable_shouldFailNamedAndReleaseTheWait() {
        rds.usableKeys.add("arn:aws:kms:eu-west-1:" + FakeRds.ACCOUNT + ":key/other");

        assertThatThrownBy(() -> service.copy(req("t"))).isInstanceOf(KmsKeyNotUsableException.class);
        assertThat(waits.items).isEmpty();
        assertThat(rds.snapshots).isEmpty();
    }

    @Test
    void tooManyCopiesInProgress_shouldFailWithCopyQuotaExceededAndReleaseTheWait() {
        rds.failNext("copyDBSnapshot", FakeRds.error(SnapshotQuotaExceededException.builder(),
                "SnapshotQuotaExceeded", "Cannot have more than 20 snapshot copies in progress"));

        assertThatThrownBy(() -> service.copy(req("t"))).isInstanceOf(CopyQuotaExceededException.class);
        assertThat(waits.items).isEmpty();
    }

    @Test
    void withoutTaskToken_shouldCopyWithoutRegisteringAWait() {
        service.copy(req(null));

        assertThat(rds.snapshots).containsKey(LOCAL_ID);
        assertThat(waits.items).isEmpty();
        assertThat(sfn.successes).isEmpty();
    }

    @Test
    void snapshotInAnotherRegion_shouldAskTheSdkToPresignForTheSourceRegion() {
        FakeRds.Snap remote = rds.addForeignSnapshot(SOURCE_ACCOUNT, "orders-db-remote", true);
        rds.foreign.remove(remote.arn);
        remote.arn = remote.arn.replace(FakeRds.REGION, "us-west-2");
        rds.foreign.put(remote.arn, remote);

        service.copy(new CopySharedSnapshotRequest("run-2", remote.arn, "orders-db", null, null));

        assertThat(rds.lastCopy.sourceRegion()).isEqualTo("us-west-2");
    }

    FakeRds.Snap remoteSnapshot(String optionGroup) {
        FakeRds.Snap remote = rds.addForeignSnapshot(SOURCE_ACCOUNT, "orders-db-remote", true);
        rds.foreign.remove(remote.arn);
        remote.arn = remote.arn.replace(FakeRds.REGION, "us-west-2");
        remote.optionGroup = optionGroup;
        rds.foreign.put(remote.arn, remote);
        return remote;
    }

    @Test
    void crossRegionCopyOfNonDefaultOptionGroup_withoutCopyOptionGroup_shouldFailBeforeAnythingStarts() {
        FakeRds.Snap remote = remoteSnapshot("orders-options");

        assertThatThrownBy(() -> service.copy(new CopySharedSnapshotRequest("run-3", remote.arn, "orders-db",
                "orders-options", "token-3"))).isInstanceOf(OptionGroupRequiredException.class)
                .hasMessageContaining("orders-options").hasMessageContaining("CopyOptionGroup")
                .hasMessageContaining("us-west-2");
        assertThat(rds.calls("copyDBSnapshot")).isZero();
        assertThat(waits.items).isEmpty();
        assertThat(rds.snapshots).doesNotContainKey("orders-db-remote-local");
    }

    @Test
    void crossRegionCopyOfNonDefaultOptionGroup_shouldNameTheConfiguredOptionGroup() {
        when(config.copyOptionGroup()).thenReturn(Optional.of("orders-options-eu"));
        FakeRds.Snap remote = remoteSnapshot("orders-options");

        service.copy(new CopySharedSnapshotRequest("run-4", remote.arn, "orders-db", "orders-options", null));

        assertThat(rds.lastCopy.optionGroupName()).isEqualTo("orders-options-eu");
        assertThat(rds.snapshots.get("orders-db-remote-local").optionGroup).isEqualTo("orders-options-eu");
    }

    @Test
    void crossRegionCopyOfDefaultOptionGroup_orUnknownOne_shouldNeedNoCopyOptionGroup() {
        FakeRds.Snap remote = remoteSnapshot("default:postgres-16");

        service.copy(new CopySharedSnapshotRequest("run-5", remote.arn, "orders-db", "default:postgres-16", null));
        assertThat(rds.lastCopy.optionGroupName()).isNull();

        rds.snapshots.remove("orders-db-remote-local");
        // A message of an older source carries no option group: the copy is tried (RDS has the last word).
        service.copy(new CopySharedSnapshotRequest("run-5", remote.arn, "orders-db", null, null));
        assertThat(rds.lastCopy.optionGroupName()).isNull();
    }

    @Test
    void sameRegionCopy_shouldNeverNameAnOptionGroup_evenWhenOneIsConfigured() {
        when(config.copyOptionGroup()).thenReturn(Optional.of("orders-options-eu"));
        shared.optionGroup = "orders-options";

        service.copy(new CopySharedSnapshotRequest("run-6", shared.arn, "orders-db", "orders-options", null));

        assertThat(rds.lastCopy.optionGroupName()).isNull();
        assertThat(rds.snapshots.get(LOCAL_ID).optionGroup).isEqualTo("orders-options");
    }

    @Test
    void invalidInput_shouldFailWithInvalidInputAndDoNothing() {
        assertThatThrownBy(() -> service.copy(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.copy(new CopySharedSnapshotRequest("run 1", shared.arn, "orders-db", null, "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThatThrownBy(() -> service.copy(new CopySharedSnapshotRequest("run-1", SHARED_ID, "orders-db", null, "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not an ARN");
        assertThatThrownBy(() -> service.copy(new CopySharedSnapshotRequest("run-1",
                "arn:aws:rds:eu-west-1:999999999999:db:orders-db", "orders-db", null, "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a DB snapshot ARN");
        assertThatThrownBy(() -> service.copy(new CopySharedSnapshotRequest("run-1", shared.arn, null, null, "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sourceInstance");
        assertThat(rds.calls("copyDBSnapshot")).isZero();
        assertThat(waits.items).isEmpty();
    }
}
