package org.rdsreplicator.preflightsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ClusterNotAvailableException;
import org.rdsreplicator.common.errors.ClusterNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;
import org.rdsreplicator.common.errors.UnencryptedClusterException;
import org.rdsreplicator.common.errors.UnsupportedEngineException;
import org.rdsreplicator.common.kms.KeyCheck;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.AccountQuotas;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.testing.FakeRds;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesRequest;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.ServerlessV2ScalingConfigurationInfo;

/** The source preflight of an Aurora cluster ({@code dbClusterIdentifier}): each check, and the dry run's plan. */
class ClusterPreflightTest {
    static final String KEY = PreflightSourceServiceTest.KEY;
    static final String RUN = "ledger-20261124T093000Z";
    static final String AT = "2026-11-24T09:30:00Z";

    /** FakeRds answering DescribeAccountAttributes with the cluster snapshot quota. */
    static class ClusterRds extends FakeRds {
        long clusterSnapshotsUsed = 5;
        long clusterSnapshotsMax = 100;

        @Override
        public DescribeAccountAttributesResponse describeAccountAttributes(DescribeAccountAttributesRequest r) {
            return DescribeAccountAttributesResponse.builder().accountQuotas(
                    AccountQuota.builder().accountQuotaName("ManualSnapshots").used(99L).max(100L).build(),
                    AccountQuota.builder().accountQuotaName("ManualClusterSnapshots").used(clusterSnapshotsUsed)
                            .max(clusterSnapshotsMax).build()).build();
        }
    }

    ClusterRds rds;
    KeyMetadata.Builder key;
    PreflightSourceService service;

    @BeforeEach
    void setUp() {
        rds = new ClusterRds();
        rds.addCluster("ledger", "available");
        key = KeyMetadata.builder().arn(KEY).keyState(KeyState.ENABLED).enabled(true)
                .keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec("SYMMETRIC_DEFAULT");
        service = service(rds);
    }

    PreflightSourceService service(ClusterRds over) {
        KmsClient kms = mock(KmsClient.class);
        when(kms.describeKey(any(Consumer.class))).thenAnswer(i -> DescribeKeyResponse.builder()
                .keyMetadata(key.build()).build());
        when(kms.describeKey(any(DescribeKeyRequest.class))).thenAnswer(i -> DescribeKeyResponse.builder()
                .keyMetadata(key.build()).build());
        PreflightSourceConfig config = new PreflightSourceConfig() {
            @Override
            public Optional<String> kmsKeyArn() {
                return Optional.of(KEY);
            }

            @Override
            public Optional<List<String>> destinationAccounts() {
                return Optional.of(List.of("222222222222"));
            }

            @Override
            public int snapshotRetentionKeep() {
                return 1;
            }

            @Override
            public Duration snapshotRetentionHold() {
                return Duration.ZERO;
            }
        };
        return new PreflightSourceService(over, new RdsResources(over), new AccountQuotas(over),
                new ManagedResources(over), new KeyCheck(kms), config);
    }

    void change(UnaryOperator<DBCluster.Builder> f) {
        rds.clusters.put("ledger", f.apply(rds.clusters.get("ledger").toBuilder()).build());
    }

    SourcePreflightReport check(boolean dryRun) {
        return service.check(new PreflightSourceRequest(RUN, null, AT, dryRun, "ledger"));
    }

    @Test
    void healthyProvisionedCluster_shouldPass_reportingTheClusterQuotaAndEngineMode() {
        SourcePreflightReport r = check(false);

        assertThat(r.dbClusterIdentifier()).isEqualTo("ledger");
        assertThat(r.dbInstanceIdentifier()).isNull();
        assertThat(r.engineMode()).isEqualTo("provisioned");
        assertThat(r.engine()).isEqualTo("aurora-postgresql");
        // The instance quota (99 of 100) does not matter for a cluster: its own quota does.
        assertThat(r.manualSnapshots()).isEqualTo(new AccountQuotas.Quota("ManualClusterSnapshots", 5, 100));
        assertThat(r.message()).isNull();
    }

    @Test
    void serverlessV2_shouldBeReported_fromTheScalingConfigurationOrTheWritersClass() {
        change(b -> b.serverlessV2ScalingConfiguration(ServerlessV2ScalingConfigurationInfo.builder().minCapacity(0.5)
                .maxCapacity(4.0).build()));
        assertThat(check(false).engineMode()).isEqualTo("serverless-v2");

        // No scaling configuration: the writer's class decides (db.serverless is Serverless v2).
        ClusterRds serverless = new ClusterRds() {
            @Override
            public DescribeDbInstancesResponse describeDBInstances(DescribeDbInstancesRequest req) {
                DescribeDbInstancesResponse plain = super.describeDBInstances(req);
                return plain.toBuilder().dbInstances(plain.dbInstances().stream()
                        .map(i -> i.toBuilder().dbInstanceClass("db.serverless").build()).toList()).build();
            }
        };
        DBCluster withWriter = rds.clusters.get("ledger").toBuilder()
                .serverlessV2ScalingConfiguration((ServerlessV2ScalingConfigurationInfo) null)
                .dbClusterMembers(DBClusterMember.builder().dbInstanceIdentifier("ledger-writer").isClusterWriter(true)
                        .build()).build();
        serverless.clusters.put("ledger", withWriter);
        serverless.addInstance("ledger-writer", "available");
        assertThat(service(serverless).check(new PreflightSourceRequest(RUN, null, AT, false, "ledger")).engineMode())
                .isEqualTo("serverless-v2");

        rds.clusters.put("ledger", withWriter);
        rds.addInstance("ledger-writer", "available");           // a provisioned writer (no class: not serverless)
        assertThat(check(false).engineMode()).isEqualTo("provisioned");
    }

    @Test
    void unencryptedCluster_shouldBeANamedErrorWithGuidance() {
        change(b -> b.storageEncrypted(false));

        assertThatThrownBy(() -> check(false)).isInstanceOf(UnencryptedClusterException.class)
                .hasMessageContaining("ledger is not encrypted").hasMessageContaining("restore the snapshot with "
                        + "StorageEncrypted");
    }

    @Test
    void eachFailedCheck_shouldBeItsNamedError_inOrder() {
        assertThatThrownBy(() -> service.check(new PreflightSourceRequest(RUN, null, AT, false, "nope")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> service.check(new PreflightSourceRequest(RUN, "orders-db", AT, false, "ledger")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not both");

        change(b -> b.status("backing-up"));
        assertThatThrownBy(() -> check(false)).isInstanceOf(ClusterNotAvailableException.class);
        change(b -> b.status("available").engine("mysql"));
        assertThatThrownBy(() -> check(false)).isInstanceOf(UnsupportedEngineException.class)
                .hasMessageContaining("aurora-mysql, aurora-postgresql");
        change(b -> b.engine("aurora-mysql").engineMode("serverless"));
        assertThatThrownBy(() -> check(false)).isInstanceOf(UnsupportedEngineException.class)
                .hasMessageContaining("Serverless v1");
        change(b -> b.engineMode("provisioned"));
        rds.clusterSnapshotsUsed = 99;
        assertThatThrownBy(() -> check(false)).isInstanceOf(SnapshotQuotaExceededException.class)
                .hasMessageContaining("99 of 100 manual DB cluster snapshots");
        rds.clusterSnapshotsUsed = 98;
        key.keyState(KeyState.DISABLED).enabled(false);
        assertThatThrownBy(() -> check(false)).isInstanceOf(KmsKeyNotUsableException.class);
        assertThat(rds.calls("createDBClusterSnapshot")).isZero();
    }

    @Test
    void dryRun_shouldPlanClusterSnapshotNames_retention_andAClusterMessage() {
        rds.addClusterSnapshot("ledger-old", "ledger", "available", Instant.parse("2026-11-20T09:30:00Z"),
                Tags.managedCluster("ledger-old-run", "ledger", Tags.KIND_SHAREABLE_COPY));

        SourcePreflightReport r = check(true);

        assertThat(r.snapshot()).startsWith("ledger-20261124t093000z-");
        assertThat(r.shareableCopy()).isEqualTo(r.snapshot() + "-share");
        // keep 1: the older copy goes, and so does this run's intermediate snapshot (replaced by its copy).
        assertThat(r.retentionWouldDelete()).hasSize(2).anyMatch(d -> d.startsWith("ledger-old:"))
                .anyMatch(d -> d.startsWith(r.snapshot() + ":"));
        assertThat(r.message().announcesCluster()).isTrue();
        assertThat(r.message().sourceCluster()).isEqualTo("ledger");
        assertThat(r.message().engineMode()).isEqualTo("provisioned");
        assertThat(r.message().snapshotArn()).contains(":cluster-snapshot:" + r.shareableCopy());
        assertThat(r.message().announcesDryRun()).isTrue();
        assertThat(rds.clusterSnapshots).containsOnlyKeys("ledger-old");
    }
}
