package org.rdsreplicator.preflightsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;
import org.rdsreplicator.common.errors.SnapshotNotShareableException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;
import org.rdsreplicator.common.errors.UnsupportedEngineException;
import org.rdsreplicator.common.kms.KeyCheck;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.AccountQuotas;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.Harness;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesRequest;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeOptionGroupsRequest;
import software.amazon.awssdk.services.rds.model.DescribeOptionGroupsResponse;
import software.amazon.awssdk.services.rds.model.Option;
import software.amazon.awssdk.services.rds.model.OptionGroup;
import software.amazon.awssdk.services.rds.model.OptionGroupMembership;

/** The source preflight over FakeRds (with quotas and option groups) and a mocked KMS: each check, in order. */
class PreflightSourceServiceTest {
    static final String KEY = "arn:aws:kms:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":key/replication";
    static final String RUN = "orders-db-20261124T093000Z";
    static final String AT = "2026-11-24T09:30:00Z";

    /** FakeRds plus what only the preflight reads: quotas, option groups, and instance fields the fake lacks. */
    static class PreflightRds extends FakeRds {
        long snapshotsUsed = 10;
        long snapshotsMax = 100;
        final List<OptionGroup> optionGroups = new ArrayList<>();
        Consumer<DBInstance.Builder> instanceExtras = b -> { };

        @Override
        public DescribeAccountAttributesResponse describeAccountAttributes(DescribeAccountAttributesRequest r) {
            return DescribeAccountAttributesResponse.builder().accountQuotas(
                    AccountQuota.builder().accountQuotaName("DBInstances").used(3L).max(40L).build(),
                    AccountQuota.builder().accountQuotaName("ManualSnapshots").used(snapshotsUsed).max(snapshotsMax)
                            .build()).build();
        }

        @Override
        public DescribeOptionGroupsResponse describeOptionGroups(DescribeOptionGroupsRequest r) {
            return DescribeOptionGroupsResponse.builder().optionGroupsList(optionGroups.stream()
                    .filter(g -> g.optionGroupName().equals(r.optionGroupName())).toList()).build();
        }

        @Override
        public DescribeDbInstancesResponse describeDBInstances(DescribeDbInstancesRequest r) {
            DescribeDbInstancesResponse plain = super.describeDBInstances(r);
            return plain.toBuilder().dbInstances(plain.dbInstances().stream().map(i -> {
                DBInstance.Builder b = i.toBuilder();
                instanceExtras.accept(b);
                return b.build();
            }).toList()).build();
        }
    }

    Harness h;
    PreflightRds rds;
    KmsClient kms;
    KeyMetadata.Builder key;
    Optional<String> keyArn = Optional.of(KEY);
    PreflightSourceService service;

    @BeforeEach
    void setUp() {
        h = new Harness();
        rds = new PreflightRds();
        rds.addInstance("orders-db", "available");
        kms = mock(KmsClient.class);
        key = KeyMetadata.builder().arn(KEY).keyState(KeyState.ENABLED).enabled(true)
                .keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec("SYMMETRIC_DEFAULT");
        when(kms.describeKey(any(Consumer.class))).thenAnswer(i -> DescribeKeyResponse.builder()
                .keyMetadata(key.build()).build());
        when(kms.describeKey(any(DescribeKeyRequest.class))).thenAnswer(i -> DescribeKeyResponse.builder()
                .keyMetadata(key.build()).build());
        PreflightSourceConfig config = new PreflightSourceConfig() {
            @Override
            public Optional<String> kmsKeyArn() {
                return keyArn;
            }

            @Override
            public Optional<List<String>> destinationAccounts() {
                return Optional.of(List.of("222222222222", " 333333333333"));
            }

            @Override
            public int snapshotRetentionKeep() {
                return 2;
            }

            @Override
            public java.time.Duration snapshotRetentionHold() {
                return java.time.Duration.ZERO;
            }
        };
        service = new PreflightSourceService(rds, new org.rdsreplicator.common.rds.RdsResources(rds),
                new AccountQuotas(rds), new org.rdsreplicator.common.rds.ManagedResources(rds), new KeyCheck(kms),
                config);
    }

    SourcePreflightReport check(boolean dryRun) {
        return service.check(new PreflightSourceRequest(RUN, "orders-db", AT, dryRun));
    }

    @Test
    void healthySource_shouldPassAndReportTheQuotaAndKey_withoutAPlan() {
        SourcePreflightReport r = check(false);

        assertThat(r.dryRun()).isFalse();
        assertThat(r.manualSnapshots()).isEqualTo(new AccountQuotas.Quota("ManualSnapshots", 10, 100));
        assertThat(r.kmsKeyArn()).isEqualTo(KEY);
        assertThat(r.destinationAccounts()).containsExactly("222222222222", "333333333333");
        assertThat(r.snapshot()).isNull();
        assertThat(r.message()).isNull();
        assertThat(rds.calls("createDBSnapshot") + rds.calls("copyDBSnapshot")).isZero();
    }

    @Test
    void missingInstance_shouldBeInstanceNotFound() {
        rds.instances.clear();
        assertThatThrownBy(() -> check(false)).isInstanceOf(InstanceNotFoundException.class);
    }

    @Test
    void instanceNotAvailable_shouldBeInstanceNotAvailable() {
        rds.instances.get("orders-db").status = "backing-up";
        assertThatThrownBy(() -> check(false)).isInstanceOf(InstanceNotAvailableException.class)
                .hasMessageContaining("backing-up");
    }

    @Test
    void auroraOrClusterMember_shouldBeUnsupportedEngine() {
        rds.instances.get("orders-db").engine = "aurora-postgresql";
        assertThatThrownBy(() -> check(false)).isInstanceOf(UnsupportedEngineException.class)
                .hasMessageContaining("aurora-postgresql");

        rds.instances.get("orders-db").engine = "postgres";
        rds.instanceExtras = b -> b.dbClusterIdentifier("orders-cluster");
        assertThatThrownBy(() -> check(false)).isInstanceOf(UnsupportedEngineException.class)
                .hasMessageContaining("orders-cluster");
    }

    @Test
    void noRoomForTwoSnapshots_shouldBeSnapshotQuotaExceeded() {
        rds.snapshotsUsed = 99;
        assertThatThrownBy(() -> check(false)).isInstanceOf(SnapshotQuotaExceededException.class)
                .hasMessageContaining("99 of 100");

        rds.snapshotsUsed = 98;
        assertThat(check(false).manualSnapshots().used()).isEqualTo(98);
    }

    @Test
    void permanentPersistentOrTdeOption_shouldBeNotShareable() {
        rds.instanceExtras = b -> b.optionGroupMemberships(OptionGroupMembership.builder().optionGroupName("og-1")
                .status("in-sync").build());
        rds.optionGroups.add(OptionGroup.builder().optionGroupName("og-1").options(
                Option.builder().optionName("TIMEZONE").permanent(true).persistent(false).build()).build());
        assertThatThrownBy(() -> check(false)).isInstanceOf(SnapshotNotShareableException.class)
                .hasMessageContaining("TIMEZONE (permanent)");

        rds.optionGroups.clear();
        rds.optionGroups.add(OptionGroup.builder().optionGroupName("og-1").options(
                Option.builder().optionName("TDE").permanent(false).persistent(false).build()).build());
        assertThatThrownBy(() -> check(false)).isInstanceOf(SnapshotNotShareableException.class)
                .hasMessageContaining("TDE");

        rds.optionGroups.clear();
        rds.optionGroups.add(OptionGroup.builder().optionGroupName("og-1").options(
                Option.builder().optionName("S3_INTEGRATION").permanent(false).persistent(false).build()).build());
        assertThat(check(false).dryRun()).isFalse();
    }

    @Test
    void disabledOrAsymmetricKey_shouldBeKmsKeyNotUsable() {
        key.keyState(KeyState.DISABLED).enabled(false);
        assertThatThrownBy(() -> check(false)).isInstanceOf(KmsKeyNotUsableException.class)
                .hasMessageContaining("Disabled");

        key.keyState(KeyState.ENABLED).enabled(true).keySpec("RSA_2048");
        assertThatThrownBy(() -> check(false)).isInstanceOf(KmsKeyNotUsableException.class)
                .hasMessageContaining("RSA_2048");
    }

    @Test
    void checks_shouldRunInOrder_theFirstFailureIsTheError() {
        rds.snapshotsUsed = 100;
        key.keyState(KeyState.PENDING_DELETION);
        assertThatThrownBy(() -> check(false)).isInstanceOf(SnapshotQuotaExceededException.class);
    }

    @Test
    void missingRequestedAt_shouldBeInvalidInput() {
        assertThatThrownBy(() -> service.check(new PreflightSourceRequest(RUN, "orders-db", null, false)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void dryRun_shouldPlanTheNamesTheRunWouldUse_andTheRetentionItWouldCarryOut() {
        // Three finished runs: after this one, the two newest copies are this run's and run 3's.
        for (int n = 1; n <= 3; n++) {
            String id = "orders-db-2026112" + n + "t093000z-00000" + n;
            String run = "orders-db-2026112" + n + "T093000Z";
            FakeRds.Snap copy = rds.addSnapshot(id + "-share", "orders-db", "available");
            copy.created = Instant.parse("2026-11-2" + n + "T09:31:00Z");
            copy.tags.addAll(Tags.managed(run, "orders-db", Tags.KIND_SHAREABLE_COPY));
        }
        FakeRds.Snap byHand = rds.addSnapshot("orders-db-by-hand", "orders-db", "available");
        byHand.created = Instant.parse("2026-11-01T00:00:00Z");

        SourcePreflightReport r = check(true);

        assertThat(r.dryRun()).isTrue();
        assertThat(r.snapshot()).isEqualTo("orders-db-20261124t093000z-" + org.rdsreplicator.common.naming.Identifiers
                .shortHash(RUN));
        assertThat(r.shareableCopy()).isEqualTo(r.snapshot() + "-share");
        assertThat(r.retentionWouldDelete()).containsExactlyInAnyOrder(
                r.snapshot() + ": replaced by the shareable copy of replication " + RUN,
                "orders-db-20261121t093000z-000001-share: shareable copy older than the 2 newest",
                "orders-db-20261122t093000z-000002-share: shareable copy older than the 2 newest");
        assertThat(r.retentionWouldKeep()).anyMatch(k -> k.startsWith(r.shareableCopy() + ": one of the 2 newest"))
                .anyMatch(k -> k.startsWith("orders-db-20261123t093000z-000003-share: one of the 2 newest"))
                .noneMatch(k -> k.contains("by-hand"));
        assertThat(r.message().announcesDryRun()).isTrue();
        assertThat(r.message().snapshotArn()).isEqualTo("arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT
                + ":snapshot:" + r.shareableCopy());
        assertThat(r.message().kmsKeyArn()).isEqualTo(KEY);
        assertThat(r.message().createdAt()).isEqualTo(AT);
        // Planned, not done: nothing created, nothing deleted.
        assertThat(rds.snapshots).hasSize(4);
        assertThat(rds.calls("deleteDBSnapshot") + rds.calls("createDBSnapshot")).isZero();
    }
}
