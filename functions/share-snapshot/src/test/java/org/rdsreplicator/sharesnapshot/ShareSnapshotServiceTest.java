package org.rdsreplicator.sharesnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.ShareNotAppliedException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.testing.FakeRds;

import software.amazon.awssdk.services.rds.model.ModifyDbSnapshotAttributeRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbSnapshotAttributeResponse;
import software.amazon.awssdk.services.rds.model.RdsException;

class ShareSnapshotServiceTest {
    static final List<String> TWO = List.of("222222222222", "333333333333");
    static final String COPY_ID = "orders-db-20261124t093000z-3f2a1b-share";

    FakeRds rds;
    FakeRds.Snap copy;

    @BeforeEach
    void setUp() {
        rds = new FakeRds();
        copy = rds.addSnapshot(COPY_ID, "orders-db", "available");
        copy.encrypted = true;
        copy.kmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        copy.tags.addAll(Tags.managed("run-1", "orders-db", "shareable-copy"));
    }

    ShareSnapshotService service(List<String> accounts) {
        return new ShareSnapshotService(rds, new RdsResources(rds), () -> Optional.ofNullable(accounts));
    }

    ShareSnapshotRequest req() {
        return new ShareSnapshotRequest("run-1", copy.arn);
    }

    @Test
    void twoDestinationAccounts_shouldBothBeAddedToRestoreAndConfirmed() {
        ShareSnapshotResult result = service(TWO).share(req());

        assertThat(copy.restoreAccounts).containsExactlyInAnyOrderElementsOf(TWO);
        assertThat(result.snapshotArn()).isEqualTo(copy.arn);
        assertThat(result.sharedWith()).containsExactlyElementsOf(TWO);
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isEqualTo(1);
        assertThat(rds.calls("describeDBSnapshotAttributes")).as("read before and after").isEqualTo(2);
    }

    @Test
    void sharingAgain_shouldBeIdempotent() {
        ShareSnapshotResult first = service(TWO).share(req());
        ShareSnapshotResult second = service(TWO).share(req());

        assertThat(second).isEqualTo(first);
        assertThat(copy.restoreAccounts).containsExactlyInAnyOrderElementsOf(TWO);
        assertThat(rds.calls("modifyDBSnapshotAttribute")).as("nothing left to add the second time").isEqualTo(1);
    }

    @Test
    void oneAccountAlreadyShared_shouldAddOnlyTheOther() {
        List<List<String>> added = new ArrayList<>();
        FakeRds recording = new FakeRds() {
            @Override
            public ModifyDbSnapshotAttributeResponse modifyDBSnapshotAttribute(ModifyDbSnapshotAttributeRequest r) {
                added.add(r.valuesToAdd());
                return super.modifyDBSnapshotAttribute(r);
            }
        };
        recording.snapshots.put(COPY_ID, copy);
        copy.restoreAccounts.add("222222222222");

        new ShareSnapshotService(recording, new RdsResources(recording), () -> Optional.of(TWO)).share(req());

        assertThat(added).containsExactly(List.of("333333333333"));
        assertThat(copy.restoreAccounts).containsExactlyInAnyOrderElementsOf(TWO);
    }

    @Test
    void accountsAlreadySharedWithOthers_shouldBeKept() {
        copy.restoreAccounts.add("444444444444");

        service(TWO).share(req());

        assertThat(copy.restoreAccounts).containsExactlyInAnyOrder("222222222222", "333333333333", "444444444444");
    }

    @Test
    void roleBoth_ownAccountListed_shouldNotShareWithItselfAndStillShareWithOthers() {
        ShareSnapshotResult alone = service(List.of(FakeRds.ACCOUNT)).share(req());

        assertThat(alone.sharedWith()).isEmpty();
        assertThat(copy.restoreAccounts).isEmpty();
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();

        ShareSnapshotResult withOther = service(List.of(FakeRds.ACCOUNT, "222222222222")).share(req());

        assertThat(withOther.sharedWith()).containsExactly("222222222222");
        assertThat(copy.restoreAccounts).containsExactly("222222222222");
    }

    @Test
    void duplicateOrPaddedAccountIds_shouldBeSharedOnce() {
        ShareSnapshotResult result = service(List.of("222222222222", " 222222222222 ", "333333333333")).share(req());

        assertThat(result.sharedWith()).containsExactly("222222222222", "333333333333");
    }

    @Test
    void unmanagedSnapshot_shouldBeRefusedWithoutSharing() {
        copy.tags.clear();

        assertThatThrownBy(() -> service(TWO).share(req())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(Tags.MANAGED_BY);
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();
        assertThat(copy.restoreAccounts).isEmpty();
    }

    @Test
    void managedByValueOfSomeoneElse_shouldBeRefused() {
        copy.tags.removeIf(t -> t.key().equals(Tags.MANAGED_BY));
        copy.tags.add(Tags.tag(Tags.MANAGED_BY, "someone-else"));

        assertThatThrownBy(() -> service(TWO).share(req())).isInstanceOf(InvalidInputException.class);
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();
    }

    @Test
    void snapshotOfAnotherReplication_shouldBeRefusedWithoutSharing() {
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest("run-2", copy.arn)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("run-1");
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();
    }

    @Test
    void shareThatDoesNotShowInTheAttribute_shouldFailWithShareNotApplied() {
        FakeRds ignoring = new FakeRds() {
            @Override
            public ModifyDbSnapshotAttributeResponse modifyDBSnapshotAttribute(ModifyDbSnapshotAttributeRequest r) {
                return ModifyDbSnapshotAttributeResponse.builder().build(); // accepted, never applied
            }
        };
        ignoring.snapshots.put(COPY_ID, copy);
        ShareSnapshotService s = new ShareSnapshotService(ignoring, new RdsResources(ignoring),
                () -> Optional.of(TWO));

        assertThatThrownBy(() -> s.share(req())).isInstanceOf(ShareNotAppliedException.class)
                .hasMessageContaining("222222222222").hasMessageContaining("333333333333");
    }

    @Test
    void shareAppliedToOnlyOneAccount_shouldNameTheMissingOne() {
        FakeRds partial = new FakeRds() {
            @Override
            public ModifyDbSnapshotAttributeResponse modifyDBSnapshotAttribute(ModifyDbSnapshotAttributeRequest r) {
                return super.modifyDBSnapshotAttribute(r.toBuilder().valuesToAdd(r.valuesToAdd().get(0)).build());
            }
        };
        partial.snapshots.put(COPY_ID, copy);
        ShareSnapshotService s = new ShareSnapshotService(partial, new RdsResources(partial),
                () -> Optional.of(TWO));

        assertThatThrownBy(() -> s.share(req())).isInstanceOf(ShareNotAppliedException.class)
                .hasMessageContaining("[333333333333]");
    }

    @Test
    void badDestinationSettings_shouldFailWithConfigurationBeforeAnyRdsCall() {
        List<String> twentyOne = new ArrayList<>();
        IntStream.range(0, 21).forEach(i -> twentyOne.add(String.format("2000000000%02d", i)));

        for (List<String> bad : List.of(List.<String>of(), List.of("12345678901"), List.of("2222222222222"),
                List.of("22222222222a"), List.of("222222222222", ""), twentyOne)) {
            assertThatThrownBy(() -> service(bad).share(req())).as("accounts %s", bad)
                    .isInstanceOf(ConfigurationException.class);
        }
        assertThatThrownBy(() -> service(null).share(req())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_DESTINATION_ACCOUNTS");
        assertThat(rds.calls("describeDBSnapshots")).isZero();
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();
    }

    @Test
    void twentyAccounts_shouldBeAccepted() {
        List<String> twenty = IntStream.range(0, 20).mapToObj(i -> String.format("2000000000%02d", i)).toList();

        assertThat(service(twenty).share(req()).sharedWith()).hasSize(20);
    }

    @Test
    void badInput_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> service(TWO).share(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest("run-1", null)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest(null, copy.arn)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest("run-1",
                "arn:aws:rds:eu-west-1:111111111111:db:orders-db"))).isInstanceOf(InvalidInputException.class);
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();
    }

    @Test
    void missingSnapshot_shouldFailWithSnapshotNotFound() {
        assertThatThrownBy(() -> service(TWO).share(new ShareSnapshotRequest("run-1",
                copy.arn.replace(COPY_ID, "gone")))).isInstanceOf(SnapshotNotFoundException.class);
    }

    @Test
    void snapshotStillCopying_shouldFailBusyWithoutSharing() {
        copy.status = "copying";

        assertThatThrownBy(() -> service(TWO).share(req())).isInstanceOf(ResourceBusyException.class);
        assertThat(rds.calls("modifyDBSnapshotAttribute")).isZero();
    }

    @Test
    void throttledModify_shouldFailWithThrottled() {
        rds.failNext("modifyDBSnapshotAttribute", FakeRds.error(RdsException.builder(), "Throttling", "Rate exceeded"));

        assertThatThrownBy(() -> service(TWO).share(req())).isInstanceOf(TransientAwsException.class);
    }
}
