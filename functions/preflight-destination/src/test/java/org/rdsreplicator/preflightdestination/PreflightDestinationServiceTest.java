package org.rdsreplicator.preflightdestination;

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
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceQuotaExceededException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;
import org.rdsreplicator.common.errors.SecretUnreadableException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;
import org.rdsreplicator.common.kms.KeyCheck;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.AccountQuotas;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesRequest;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbEngineVersionsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbEngineVersionsResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbParameterGroupsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbParameterGroupsResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbSubnetGroupsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbSubnetGroupsResponse;
import software.amazon.awssdk.services.rds.model.DescribeOptionGroupsRequest;
import software.amazon.awssdk.services.rds.model.DescribeOptionGroupsResponse;
import software.amazon.awssdk.services.rds.model.OptionGroup;

/** The destination preflight over FakeRds (quotas, groups), FakeSecrets and mocked KMS and EC2: each check in order. */
class PreflightDestinationServiceTest {
    static final String KEY = "arn:aws:kms:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":key/destination";
    static final String RUN = "orders-db-20261124T093000Z";
    static final String SHARED = "arn:aws:rds:" + FakeRds.REGION + ":999999999999:snapshot:orders-db-20261124t093000z-4469ce-share";

    static class PreflightRds extends FakeRds {
        long instancesUsed = 3;
        long snapshotsUsed = 10;
        long clustersUsed = 1;
        final List<DBSubnetGroup> subnetGroups = new ArrayList<>(List.of(DBSubnetGroup.builder()
                .dbSubnetGroupName("private").vpcId("vpc-1").build()));
        final List<OptionGroup> optionGroups = new ArrayList<>(List.of(OptionGroup.builder().optionGroupName("og-pg16")
                .engineName("postgres").majorEngineVersion("16").build()));
        final List<DBParameterGroup> parameterGroups = new ArrayList<>(List.of(DBParameterGroup.builder()
                .dbParameterGroupName("pg-16").dbParameterGroupFamily("postgres16").build()));

        @Override
        public DescribeAccountAttributesResponse describeAccountAttributes(DescribeAccountAttributesRequest r) {
            return DescribeAccountAttributesResponse.builder().accountQuotas(
                    AccountQuota.builder().accountQuotaName("DBInstances").used(instancesUsed).max(40L).build(),
                    AccountQuota.builder().accountQuotaName("ManualSnapshots").used(snapshotsUsed).max(100L).build(),
                    AccountQuota.builder().accountQuotaName("DBClusters").used(clustersUsed).max(40L).build())
                    .build();
        }

        @Override
        public DescribeDbSubnetGroupsResponse describeDBSubnetGroups(DescribeDbSubnetGroupsRequest r) {
            List<DBSubnetGroup> found = subnetGroups.stream().filter(g -> g.dbSubnetGroupName()
                    .equals(r.dbSubnetGroupName())).toList();
            if (found.isEmpty()) {
                throw (DbSubnetGroupNotFoundException) FakeRds.error(DbSubnetGroupNotFoundException.builder(),
                        "DBSubnetGroupNotFoundFault", "DB subnet group " + r.dbSubnetGroupName() + " not found");
            }
            return DescribeDbSubnetGroupsResponse.builder().dbSubnetGroups(found).build();
        }

        @Override
        public DescribeOptionGroupsResponse describeOptionGroups(DescribeOptionGroupsRequest r) {
            return DescribeOptionGroupsResponse.builder().optionGroupsList(optionGroups.stream()
                    .filter(g -> g.optionGroupName().equals(r.optionGroupName())).toList()).build();
        }

        @Override
        public DescribeDbParameterGroupsResponse describeDBParameterGroups(DescribeDbParameterGroupsRequest r) {
            return DescribeDbParameterGroupsResponse.builder().dbParameterGroups(parameterGroups.stream()
                    .filter(g -> g.dbParameterGroupName().equals(r.dbParameterGroupName())).toList()).build();
        }

        @Override
        public DescribeDbEngineVersionsResponse describeDBEngineVersions(DescribeDbEngineVersionsRequest r) {
            return DescribeDbEngineVersionsResponse.builder().dbEngineVersions(DBEngineVersion.builder()
                    .engine(r.engine()).engineVersion(r.engineVersion()).dbParameterGroupFamily("postgres16").build())
                    .build();
        }
    }

    PreflightRds rds;
    FakeSecrets secrets;
    String secretArn;
    KmsClient kms;
    Ec2Client ec2;
    KeyMetadata.Builder key;
    List<SecurityGroup> securityGroups;
    Optional<String> subnetGroup = Optional.of("private");
    Optional<List<String>> securityGroupIds = Optional.of(List.of("sg-1"));
    Optional<String> optionGroup = Optional.of("og-pg16");
    Optional<String> parameterGroup = Optional.of("pg-16");
    PreflightDestinationService service;

    @BeforeEach
    void setUp() {
        rds = new PreflightRds();
        secrets = new FakeSecrets();
        secretArn = FakeSecrets.ARN;
        secrets.create(secretArn, "{\"engine\":\"postgres\",\"username\":\"app\",\"password\":\"pw\","
                + "\"host\":\"orders-db-current.example\",\"port\":5432,\"dbInstanceIdentifier\":\"orders-db-current\"}");
        kms = mock(KmsClient.class);
        key = KeyMetadata.builder().arn(KEY).keyState(KeyState.ENABLED).enabled(true);
        when(kms.describeKey(any(Consumer.class))).thenAnswer(i -> DescribeKeyResponse.builder()
                .keyMetadata(key.build()).build());
        ec2 = mock(Ec2Client.class);
        securityGroups = new ArrayList<>(List.of(SecurityGroup.builder().groupId("sg-1").vpcId("vpc-1").build()));
        when(ec2.describeSecurityGroups(any(Consumer.class))).thenAnswer(i -> {
            DescribeSecurityGroupsRequest.Builder b = DescribeSecurityGroupsRequest.builder();
            ((Consumer<DescribeSecurityGroupsRequest.Builder>) i.getArgument(0)).accept(b);
            List<String> ids = b.build().groupIds();
            List<SecurityGroup> found = securityGroups.stream().filter(g -> ids.contains(g.groupId())).toList();
            if (found.size() < ids.size()) {
                throw Ec2Exception.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InvalidGroup.NotFound").errorMessage("The security group does not exist").build())
                        .build();
            }
            return DescribeSecurityGroupsResponse.builder().securityGroups(found).build();
        });
        PreflightDestinationConfig config = new PreflightDestinationConfig() {
            public Optional<String> kmsKeyArn() {
                return Optional.of(KEY);
            }

            public Optional<String> restoreInstanceClass() {
                return Optional.of("db.t3.micro");
            }

            public Optional<String> restoreSubnetGroup() {
                return subnetGroup;
            }

            public Optional<List<String>> restoreSecurityGroupIds() {
                return securityGroupIds;
            }

            public Optional<String> restoreOptionGroup() {
                return optionGroup;
            }

            public Optional<String> restoreParameterGroup() {
                return parameterGroup;
            }

            public String clusterInstanceClass() {
                return "db.r6g.large";
            }

            public int retentionKeep() {
                return 2;
            }
        };
        service = new PreflightDestinationService(rds, ec2, new AccountQuotas(rds), new ManagedResources(rds),
                new KeyCheck(kms), secrets.store(secretArn), config);
    }

    static ReplicationMessage message(Boolean dryRun) {
        return new ReplicationMessage(1, RUN, "999999999999", FakeRds.REGION, "orders-db", "postgres", "16.4", SHARED,
                "arn:aws:kms:" + FakeRds.REGION + ":999999999999:key/source", "2026-11-24T09:30:00Z", null, dryRun);
    }

    DestinationPreflightReport check(Boolean dryRun) {
        return service.check(new PreflightDestinationRequest(RUN, message(dryRun)));
    }

    @Test
    void healthyDestination_shouldPassAndReportWhatItChecked_withoutAPlan() {
        DestinationPreflightReport r = check(null);

        assertThat(r.dryRun()).isFalse();
        assertThat(r.dbInstances()).isEqualTo(new AccountQuotas.Quota("DBInstances", 3, 40));
        assertThat(r.subnetGroup()).isEqualTo("private");
        assertThat(r.securityGroupIds()).containsExactly("sg-1");
        assertThat(r.currentInstance()).isEqualTo("orders-db-current");
        assertThat(r.account()).isEqualTo(FakeRds.ACCOUNT);
        assertThat(r.instance()).isNull();
        assertThat(rds.calls("describeDBInstances")).as("no plan, no listing").isZero();
    }

    @Test
    void noInstanceRoom_shouldBeInstanceQuotaExceeded() {
        rds.instancesUsed = 40;
        assertThatThrownBy(() -> check(null)).isInstanceOf(InstanceQuotaExceededException.class)
                .hasMessageContaining("40 of 40 DBInstances");
    }

    @Test
    void noSnapshotRoomForTheLocalCopy_shouldBeSnapshotQuotaExceeded() {
        rds.snapshotsUsed = 100;
        assertThatThrownBy(() -> check(null)).isInstanceOf(SnapshotQuotaExceededException.class);
    }

    @Test
    void missingSubnetGroup_shouldBeConfigurationException() {
        subnetGroup = Optional.of("gone");
        assertThatThrownBy(() -> check(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("RestoreSubnetGroup gone does not exist");
    }

    @Test
    void missingSecurityGroupOrOneInAnotherVpc_shouldBeConfigurationException() {
        securityGroupIds = Optional.of(List.of("sg-1", "sg-gone"));
        assertThatThrownBy(() -> check(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("InvalidGroup.NotFound");

        securityGroups.add(SecurityGroup.builder().groupId("sg-other").vpcId("vpc-2").build());
        securityGroupIds = Optional.of(List.of("sg-other"));
        assertThatThrownBy(() -> check(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sg-other is in vpc-2, not in vpc-1");
    }

    @Test
    void optionOrParameterGroupMissingOrForAnotherEngine_shouldBeConfigurationException() {
        optionGroup = Optional.of("og-missing");
        assertThatThrownBy(() -> check(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("RestoreOptionGroup og-missing does not exist");

        rds.optionGroups.add(OptionGroup.builder().optionGroupName("og-mysql").engineName("mysql")
                .majorEngineVersion("8.0").build());
        optionGroup = Optional.of("og-mysql");
        assertThatThrownBy(() -> check(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is for mysql 8.0");

        optionGroup = Optional.of("og-pg16");
        rds.parameterGroups.add(DBParameterGroup.builder().dbParameterGroupName("pg-15")
                .dbParameterGroupFamily("postgres15").build());
        parameterGroup = Optional.of("pg-15");
        assertThatThrownBy(() -> check(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("family postgres15").hasMessageContaining("needs postgres16");
    }

    @Test
    void unusableDestinationKey_shouldBeKmsKeyNotUsable() {
        key.keyState(KeyState.PENDING_DELETION);
        assertThatThrownBy(() -> check(null)).isInstanceOf(KmsKeyNotUsableException.class)
                .hasMessageContaining("PendingDeletion");

        when(kms.describeKey(any(Consumer.class))).thenThrow((KmsException) NotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFoundException").build()).build());
        assertThatThrownBy(() -> check(null)).isInstanceOf(KmsKeyNotUsableException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void secretWithoutTheRdsLayout_shouldBeSecretUnreadable() {
        secrets.putSecretValue(r -> r.secretId(secretArn).secretString("{\"username\":\"app\",\"port\":\"x\"}"));
        assertThatThrownBy(() -> check(null)).isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("password is missing").hasMessageContaining("port is not a number");

        secrets.putSecretValue(r -> r.secretId(secretArn).secretString("not json"));
        assertThatThrownBy(() -> check(null)).isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void dryRun_shouldPlanTheCopyTheInstanceAndTheRetentionAfterTheSwitch() {
        // The secret's instance (current), one retired (newest of the old), one older retired, a spent local copy.
        FakeRds.Inst current = instance("orders-db-current", "2026-11-23T09:30:00Z", Tags.ROLE_CURRENT, "run-3");
        instance("orders-db-old", "2026-11-22T09:30:00Z", Tags.ROLE_RETIRED, "run-2");
        instance("orders-db-oldest", "2026-11-21T09:30:00Z", Tags.ROLE_RETIRED, "run-1");
        FakeRds.Inst other = rds.addInstance("not-ours", "available");
        FakeRds.Snap spent = rds.addSnapshot("run-3-local", null, "available");
        spent.tags.addAll(Tags.managed("run-3", "orders-db", Tags.KIND_LOCAL_COPY));

        DestinationPreflightReport r = check(true);

        String instance = Identifiers.forReplication("orders-db", Instant.parse("2026-11-24T09:30:00Z"), RUN);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.instance()).isEqualTo(instance);
        assertThat(r.localCopy()).isEqualTo("orders-db-20261124t093000z-4469ce-share-local");
        assertThat(r.instanceClass()).isEqualTo("db.t3.micro");
        // After the switch: new (current) and orders-db-current (retired) are the 2 newest; both older retired go.
        assertThat(r.retentionWouldDelete()).containsExactlyInAnyOrder(
                "orders-db-old: older than the 2 newest promoted instances (role retired)",
                "orders-db-oldest: older than the 2 newest promoted instances (role retired)",
                "run-3-local: the instance of replication run-3 is available",
                r.localCopy() + ": the instance of replication " + RUN + " is available");
        assertThat(r.retentionWouldKeep()).anyMatch(k -> k.startsWith(instance + ": one of the 2 newest"))
                .anyMatch(k -> k.startsWith("orders-db-current: one of the 2 newest promoted instances (role retired)"))
                .noneMatch(k -> k.contains("not-ours"));
        // Planned, not done.
        assertThat(current.tags).anyMatch(t -> t.key().equals(Tags.ROLE) && t.value().equals(Tags.ROLE_CURRENT));
        assertThat(rds.instances).containsKeys("orders-db-old", "orders-db-oldest", other.id);
        assertThat(rds.calls("deleteDBInstance") + rds.calls("deleteDBSnapshot") + rds.calls("addTagsToResource"))
                .isZero();
        assertThat(secrets.versions(secretArn)).hasSize(1);
    }

    FakeRds.Inst instance(String id, String snapshotTime, String role, String run) {
        FakeRds.Inst i = rds.addInstance(id, "available");
        i.tags.addAll(Tags.managed(run, "orders-db", null));
        i.tags.add(Tags.tag(Tags.ROLE, role));
        i.tags.add(Tags.tag(Tags.SNAPSHOT_TIME, snapshotTime));
        return i;
    }

    // ---- Aurora clusters ------------------------------------------------------------------------

    static final String SHARED_CLUSTER = SHARED.replace(":snapshot:", ":cluster-snapshot:").replace("orders-db", "ledger");

    static ReplicationMessage clusterMessage(String snapshotArn, String mode, Boolean dryRun) {
        return new ReplicationMessage(1, RUN, "999999999999", FakeRds.REGION, null, "aurora-postgresql", "16.4",
                snapshotArn, "arn:aws:kms:" + FakeRds.REGION + ":999999999999:key/source", "2026-11-24T09:30:00Z", null,
                dryRun, "ledger", mode);
    }

    @Test
    void clusterDryRun_shouldCheckTheClusterQuotaAndPlanTheClusterAndItsWriter() {
        DestinationPreflightReport r = service.check(new PreflightDestinationRequest(RUN,
                clusterMessage(SHARED_CLUSTER, "serverless-v2", true)));

        assertThat(r.dbClusters()).isEqualTo(new AccountQuotas.Quota("DBClusters", 1, 40));
        assertThat(r.manualSnapshots()).as("no copy of a cluster snapshot").isNull();
        assertThat(r.dbCluster()).startsWith("ledger-20261124t093000z-");
        assertThat(r.instance()).isEqualTo(r.dbCluster() + "-writer");
        assertThat(r.instanceClass()).isEqualTo("db.serverless");
        assertThat(service.check(new PreflightDestinationRequest(RUN, clusterMessage(SHARED_CLUSTER, "provisioned",
                true))).instanceClass()).isEqualTo("db.r6g.large");
    }

    @Test
    void clusterQuotaFull_shouldFailTheRunBeforeAnyWork() {
        rds.clustersUsed = 40;

        assertThatThrownBy(() -> service.check(new PreflightDestinationRequest(RUN, clusterMessage(SHARED_CLUSTER,
                null, null)))).isInstanceOf(InstanceQuotaExceededException.class).hasMessageContaining("DBClusters");
    }

    @Test
    void clusterSnapshotOfAnotherRegion_shouldBeRefusedWithGuidance() {
        String elsewhere = SHARED_CLUSTER.replace(FakeRds.REGION, "us-west-2");
        ReplicationMessage m = new ReplicationMessage(1, RUN, "999999999999", "us-west-2", null, "aurora-postgresql",
                "16.4", elsewhere, "arn:aws:kms:us-west-2:999999999999:key/source", "2026-11-24T09:30:00Z", null,
                null, "ledger", null);

        assertThatThrownBy(() -> service.check(new PreflightDestinationRequest(RUN, m)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("across Regions");
    }
}
