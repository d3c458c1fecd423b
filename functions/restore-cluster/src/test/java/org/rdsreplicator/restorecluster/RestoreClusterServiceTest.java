package org.rdsreplicator.restorecluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceQuotaExceededException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.ClusterInfo;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.WaitHarness;

import software.amazon.awssdk.services.rds.model.DbClusterQuotaExceededException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.RestoreDbClusterFromSnapshotRequest;

class RestoreClusterServiceTest {
    static final String RUN = "ledger-20261124T093000Z";
    static final String SOURCE = "999999999999";
    static final String SHARED = "arn:aws:rds:" + FakeRds.REGION + ":" + SOURCE
            + ":cluster-snapshot:ledger-20261124t093000z-4469ce-share";
    static final String KEY = "arn:aws:kms:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":key/destination-key";
    static final String NEW_ID = "ledger-20261124t093000z-" + org.rdsreplicator.common.naming.Identifiers.shortHash(RUN);
    static final String CURRENT = "ledger-20261001t000000z-0a1b2c";

    record Config(Optional<String> kmsKeyArn, Optional<String> accountId, Optional<String> subnetGroup,
            Optional<List<String>> securityGroupIds, boolean deletionProtection, double serverlessMinCapacity,
            double serverlessMaxCapacity, Optional<String> secretKmsKeyArn) implements RestoreClusterConfig {
    }

    WaitHarness h;
    FakeSecrets secrets;
    Config config = new Config(Optional.of(KEY), Optional.of(FakeRds.ACCOUNT), Optional.of("replica-subnets"),
            Optional.of(List.of("sg-0aaa")), true, 0.5, 4, Optional.of(KEY));

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        secrets = new FakeSecrets();
        secrets.create(FakeSecrets.ARN, "{\"engine\":\"aurora-postgresql\",\"host\":\"" + CURRENT
                + ".cluster-abc.rds.example\",\"port\":5432,\"username\":\"app\",\"password\":\"s3cret\","
                + "\"dbClusterIdentifier\":\"" + CURRENT + "\"}");
    }

    RestoreClusterService service() {
        return new RestoreClusterService(h.rds, h.resources, h.waited, secrets.store(FakeSecrets.ARN), config,
                () -> FakeRds.REGION);
    }

    RestoreClusterRequest req(String mode, String token) {
        return new RestoreClusterRequest(RUN, SHARED, "ledger", "aurora-postgresql", "16.4", mode,
                "2026-11-24T09:30:00Z", token);
    }

    String newArn() {
        return "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster:" + NEW_ID;
    }

    @Test
    void sharedClusterSnapshot_shouldBeRestoredByArnWithTheDestinationKeyTagsAndWait() {
        ClusterInfo c = service().restore(req("provisioned", "token-1"));

        assertThat(c.dbClusterIdentifier()).isEqualTo(NEW_ID);
        assertThat(c.dbClusterArn()).isEqualTo(newArn());
        RestoreDbClusterFromSnapshotRequest r = h.rds.clusterRestores.get(NEW_ID);
        assertThat(r.snapshotIdentifier()).isEqualTo(SHARED);
        assertThat(r.kmsKeyId()).isEqualTo(KEY);
        assertThat(r.engine()).isEqualTo("aurora-postgresql");
        assertThat(r.engineVersion()).isEqualTo("16.4");
        assertThat(r.dbSubnetGroupName()).isEqualTo("replica-subnets");
        assertThat(r.vpcSecurityGroupIds()).containsExactly("sg-0aaa");
        assertThat(r.deletionProtection()).isTrue();
        assertThat(r.serverlessV2ScalingConfiguration()).isNull();
        var tags = Tags.asMap(h.rds.clusterTags.get(NEW_ID));
        assertThat(tags).containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE).containsEntry(Tags.REPLICATION_ID, RUN)
                .containsEntry(Tags.SOURCE_CLUSTER, "ledger").containsEntry(Tags.SNAPSHOT_TIME, "2026-11-24T09:30:00Z")
                .containsEntry(Tags.REPLACES, CURRENT).containsEntry(Tags.SOURCE_ACCOUNT, SOURCE);
        assertThat(h.waits.items).containsKey(newArn());
        assertThat(h.sfn.successes).isEmpty(); // still creating
    }

    @Test
    void perDatabaseSecrets_firstRestoreOfACluster_shouldCreateItsOwnSecret_withTheClustersMasterUser() {
        String name = "rds-replicator/" + SOURCE + "/cluster/ledger";
        RestoreClusterService perDatabase = new RestoreClusterService(h.rds, h.resources, h.waited,
                secrets.perDatabaseStore(SOURCE), config, () -> FakeRds.REGION);

        ClusterInfo c = perDatabase.restore(req("provisioned", "token-1"));
        String first = secrets.current(name).secretString();
        perDatabase.restore(req("provisioned", "token-2"));

        assertThat(c.dbClusterIdentifier()).isEqualTo(NEW_ID);
        assertThat(secrets.createdWithKey).containsOnlyKeys(name).containsEntry(name, KEY);
        assertThat(first).contains("\"username\":\"app\"").contains("\"engine\":\"aurora-postgresql\"");
        assertThat(secrets.current(name).secretString()).as("created once").isEqualTo(first);
        // The first restore of the database: nothing to replace; the stack's other secret is not touched.
        assertThat(Tags.asMap(h.rds.clusterTags.get(NEW_ID))).doesNotContainKey(Tags.REPLACES);
        assertThat(h.rds.calls("restoreDBClusterFromSnapshot")).isEqualTo(1);
    }

    @Test
    void serverlessV2_shouldCarryTheScalingLimits() {
        service().restore(req("serverless-v2", null));

        var scaling = h.rds.clusterRestores.get(NEW_ID).serverlessV2ScalingConfiguration();
        assertThat(scaling.minCapacity()).isEqualTo(0.5);
        assertThat(scaling.maxCapacity()).isEqualTo(4.0);
    }

    @Test
    void retry_shouldAdoptItsOwnClusterAndCompleteOnceAvailable() {
        service().restore(req("provisioned", "token-1"));
        h.rds.settleCluster(NEW_ID, "available");

        ClusterInfo again = service().restore(req("provisioned", "token-2"));

        assertThat(again.dbClusterIdentifier()).isEqualTo(NEW_ID);
        assertThat(h.rds.calls("restoreDBClusterFromSnapshot")).isEqualTo(1);
        assertThat(h.sfn.successes).hasSize(1);
        assertThat(h.sfn.successes.get(0).taskToken()).isEqualTo("token-2");
    }

    @Test
    void clusterOfTheSameNameOfAnotherRun_shouldNotBeAdopted() {
        h.rds.addCluster(NEW_ID, "available");
        h.rds.clusterTags.put(NEW_ID, new java.util.ArrayList<>(Tags.managedCluster("other-run", "ledger")));

        assertThatThrownBy(() -> service().restore(req("provisioned", "token-1")))
                .isInstanceOf(WaitConflictException.class);
        assertThat(h.rds.calls("restoreDBClusterFromSnapshot")).isZero();
    }

    @Test
    void instanceSnapshotArn_shouldBeRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> service().restore(new RestoreClusterRequest(RUN, SHARED.replace("cluster-snapshot",
                "snapshot"), "ledger", "aurora-postgresql", "16.4", null, "2026-11-24T09:30:00Z", null)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service().restore(new RestoreClusterRequest(RUN, SHARED, "ledger", "postgres", "16.4",
                null, "2026-11-24T09:30:00Z", null))).isInstanceOf(InvalidInputException.class);
        assertThat(h.rds.calls("restoreDBClusterFromSnapshot")).isZero();
    }

    @Test
    void snapshotInAnotherRegion_shouldBeRefusedWithGuidance() {
        RestoreClusterService elsewhere = new RestoreClusterService(h.rds, h.resources, h.waited,
                secrets.store(FakeSecrets.ARN), config, () -> "us-west-2");

        assertThatThrownBy(() -> elsewhere.restore(req("provisioned", "t")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("across Regions");
        assertThat(h.rds.calls("restoreDBClusterFromSnapshot")).isZero();
    }

    @Test
    void missingKey_shouldBeAConfigurationError() {
        config = new Config(Optional.empty(), Optional.of(FakeRds.ACCOUNT), Optional.empty(), Optional.empty(), false,
                0.5, 4, Optional.empty());

        assertThatThrownBy(() -> service().restore(req(null, null))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_RESTORE_KMS_KEY_ARN");
    }

    @Test
    void rdsFaults_shouldBeNamedAndReleaseTheWait() {
        h.rds.failNext("restoreDBClusterFromSnapshot", FakeRds.error(DbClusterSnapshotNotFoundException.builder(),
                "DBClusterSnapshotNotFoundFault", "not found"));
        assertThatThrownBy(() -> service().restore(req(null, "t1"))).isInstanceOf(SnapshotNotFoundException.class);
        assertThat(h.waits.items).doesNotContainKey(newArn());

        h.rds.failNext("restoreDBClusterFromSnapshot", FakeRds.error(DbClusterQuotaExceededException.builder(),
                "DBClusterQuotaExceededFault", "quota"));
        assertThatThrownBy(() -> service().restore(req(null, "t2"))).isInstanceOf(InstanceQuotaExceededException.class);
    }
}
