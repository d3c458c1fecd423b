package org.rdsreplicator.restoreinstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.config.SecretConfig;
import org.rdsreplicator.common.errors.CapacityUnavailableException;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceQuotaExceededException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SecretUnreadableException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.InstanceInfo;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.WaitHarness;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.InsufficientDbInstanceCapacityException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.StorageQuotaExceededException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

class RestoreInstanceServiceTest {
    static final String COPY_ID = "orders-db-20261124t093000z-4469ce-share-local";
    static final String RUN = "orders-db-20261124T093000Z";
    static final String NEW_ID = "orders-db-20261124t093000z-4469ce";
    static final String CURRENT = "orders-db-20261001t000000z-0a1b2c";
    static final String SECRET = "{\"engine\":\"postgres\",\"host\":\"" + CURRENT + ".abc.rds.example\",\"port\":5432,"
            + "\"username\":\"app\",\"password\":\"s3cret-value\",\"dbname\":\"orders\",\"dbInstanceIdentifier\":\""
            + CURRENT + "\"}";

    WaitHarness h;
    FakeSecrets secrets;
    SecretConfig config;
    FakeRds.Snap copy;
    Settings settings = Settings.full();

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        secrets = new FakeSecrets();
        secrets.value = SECRET;
        config = mock(SecretConfig.class);
        when(config.secretArn()).thenReturn(Optional.of("arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders"));
        copy = h.rds.addSnapshot(COPY_ID, "orders-db", "available");
        copy.created = Instant.parse("2026-11-24T09:30:00Z");
        copy.encrypted = true;
        copy.kmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/destination-key";
        h.rds.addInstance(CURRENT, "available");
    }

    RestoreInstanceService service() {
        return new RestoreInstanceService(h.rds, h.resources, h.waited,
                new SecretStore(secrets, config, h.json), settings, h.clock);
    }

    RestoreInstanceRequest req(String token) {
        return new RestoreInstanceRequest(RUN, copy.arn, "orders-db", token);
    }

    String newArn() {
        return "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":db:" + NEW_ID;
    }

    @Test
    void localCopy_shouldRestorePrivateTaggedInstanceWithConfiguredSettingsAndRegisterWait() {
        InstanceInfo i = service().restore(req("token-1"));

        assertThat(i.dbInstanceIdentifier()).isEqualTo(NEW_ID);
        assertThat(i.dbInstanceArn()).isEqualTo(newArn());
        FakeRds.Inst inst = h.rds.instances.get(NEW_ID);
        RestoreDbInstanceFromDbSnapshotRequest r = inst.restoredWith;
        assertThat(r.dbSnapshotIdentifier()).isEqualTo(COPY_ID);
        assertThat(r.dbInstanceClass()).isEqualTo("db.r6g.large");
        assertThat(r.dbSubnetGroupName()).isEqualTo("replica-subnets");
        assertThat(r.vpcSecurityGroupIds()).containsExactly("sg-0aaa", "sg-0bbb");
        assertThat(r.optionGroupName()).isEqualTo("orders-options");
        assertThat(r.dbParameterGroupName()).isEqualTo("orders-params");
        assertThat(r.multiAZ()).isTrue();
        assertThat(r.deletionProtection()).isTrue();
        assertThat(r.publiclyAccessible()).isFalse();
        assertThat(r.copyTagsToSnapshot()).isTrue();
        assertThat(inst.kmsKeyId).isEqualTo(copy.kmsKeyId);
        assertThat(Tags.asMap(inst.tags))
                .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                .containsEntry(Tags.REPLICATION_ID, RUN)
                .containsEntry(Tags.SOURCE_INSTANCE, "orders-db")
                .containsEntry(Tags.REPLACES, CURRENT)
                .containsEntry(Tags.SNAPSHOT_TIME, copy.created.toString())
                .doesNotContainKeys(Tags.ROLE, Tags.KIND);
        assertThat(h.waits.items).containsOnlyKeys(newArn());
        assertThat(h.waits.items.get(newArn()).step()).isEqualTo("restore-instance");
        assertThat(h.sfn.successes).isEmpty();
        assertThat(secrets.writes).hasValue(0);
        assertThat(h.rds.instances.get(CURRENT).status).isEqualTo("available");
    }

    @Test
    void minimalSettings_shouldLeaveNetworkAndGroupsToRdsDefaultsButStayPrivate() {
        settings = Settings.minimal();

        service().restore(req(null));

        RestoreDbInstanceFromDbSnapshotRequest r = h.rds.instances.get(NEW_ID).restoredWith;
        assertThat(r.dbSubnetGroupName()).isNull();
        assertThat(r.hasVpcSecurityGroupIds()).isFalse();
        assertThat(r.optionGroupName()).isNull();
        assertThat(r.dbParameterGroupName()).isNull();
        assertThat(r.multiAZ()).isFalse();
        assertThat(r.deletionProtection()).isFalse();
        assertThat(r.publiclyAccessible()).isFalse();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void instanceAvailableAtOnce_shouldCompleteTheTaskAtOnce() {
        h.rds.initialStatus = "available";

        service().restore(req("token-1"));

        assertThat(h.sfn.successes).singleElement().satisfies(s -> {
            assertThat(s.taskToken()).isEqualTo("token-1");
            assertThat(s.output()).contains(newArn());
        });
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void retryOfSameReplication_shouldAdoptTheInstanceInsteadOfRestoringASecond() {
        InstanceInfo first = service().restore(req("token-1"));
        InstanceInfo second = service().restore(req("token-2"));

        assertThat(second.dbInstanceArn()).isEqualTo(first.dbInstanceArn());
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isEqualTo(1);
        assertThat(h.waits.items.get(newArn()).taskToken()).isEqualTo("token-2");
    }

    @Test
    void instanceStartedByAConcurrentAttempt_shouldBeAdoptedWhenRestoreReportsAlreadyExists() {
        service().restore(req(null));
        h.rds.failNext("describeDBInstances", FakeRds.error(DbInstanceNotFoundException.builder(),
                "DBInstanceNotFound", "not found"));

        InstanceInfo again = service().restore(req("token-2"));

        assertThat(again.dbInstanceArn()).isEqualTo(newArn());
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isEqualTo(2);
        assertThat(h.waits.items.get(newArn()).taskToken()).isEqualTo("token-2");
    }

    @Test
    void nameTakenByAnotherReplication_shouldFailWithoutTouchingIt() {
        h.rds.addInstance(NEW_ID, "available").tags.add(Tags.tag(Tags.REPLICATION_ID, "other-run"));

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(WaitConflictException.class);
        assertThat(h.waits.items).isEmpty();
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
    }

    @Test
    void secretMissing_shouldFailWithSecretUnreadableBeforeAnyRestore() {
        secrets.value = null;

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("ResourceNotFoundException");
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void secretNotJson_shouldFailWithSecretUnreadableWithoutQuotingIt() {
        secrets.value = "password=s3cret-value";

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(SecretUnreadableException.class)
                .hasMessageNotContaining("s3cret-value");
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
    }

    @Test
    void secretReadThrottled_shouldFailWithTransientAwsException() {
        secrets.failNext = (SecretsManagerException) FakeRds.error(SecretsManagerException.builder(),
                "ThrottlingException", "Rate exceeded");

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(TransientAwsException.class);
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
    }

    @Test
    void secretRead5xx_shouldFailWithTransientAwsExceptionNotSecretUnreadable() {
        secrets.failNext = (SecretsManagerException) SecretsManagerException.builder().message("internal")
                .statusCode(500).build();

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(TransientAwsException.class);
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
    }

    @Test
    void secretArnNotConfigured_shouldFailWithConfigurationException() {
        when(config.secretArn()).thenReturn(Optional.empty());

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_SECRET_ARN");
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
    }

    @Test
    void secretNamingNoInstanceYet_shouldRestoreWithoutReplacesTag() {
        secrets.value = "{\"engine\":\"postgres\",\"username\":\"app\",\"password\":\"p\"}";

        service().restore(req(null));

        assertThat(Tags.asMap(h.rds.instances.get(NEW_ID).tags)).doesNotContainKey(Tags.REPLACES)
                .containsEntry(Tags.REPLICATION_ID, RUN);
    }

    @Test
    void instanceClassNotConfigured_shouldFailWithConfigurationException() {
        settings = new Settings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, false);

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_RESTORE_INSTANCE_CLASS");
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
    }

    @Test
    void unknownSnapshot_shouldFailWithSnapshotNotFound() {
        h.rds.snapshots.clear();

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(SnapshotNotFoundException.class);
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void snapshotArnOfAnotherAccount_shouldFailWithSnapshotNotFoundEvenIfTheNameExistsHere() {
        String foreign = copy.arn.replace(FakeRds.ACCOUNT, "999999999999");

        assertThatThrownBy(() -> service().restore(new RestoreInstanceRequest(RUN, foreign, "orders-db", "t")))
                .isInstanceOf(SnapshotNotFoundException.class).hasMessageContaining("restore the local copy");
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
    }

    @Test
    void noCapacityForTheClass_shouldFailWithCapacityUnavailableAndReleaseTheWait() {
        failRestore(InsufficientDbInstanceCapacityException.builder(), "InsufficientDBInstanceCapacity");

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(CapacityUnavailableException.class);
        assertThat(h.waits.items).isEmpty();
        assertThat(h.rds.instances).doesNotContainKey(NEW_ID);
    }

    @Test
    void instanceQuotaReached_shouldFailWithInstanceQuotaExceeded() {
        failRestore(software.amazon.awssdk.services.rds.model.InstanceQuotaExceededException.builder(),
                "InstanceQuotaExceeded");

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(InstanceQuotaExceededException.class);
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void storageQuotaReached_shouldFailWithInstanceQuotaExceeded() {
        failRestore(StorageQuotaExceededException.builder(), "StorageQuotaExceeded");

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(InstanceQuotaExceededException.class);
    }

    @Test
    void unknownSubnetGroup_shouldFailWithConfigurationException() {
        failRestore(DbSubnetGroupNotFoundException.builder(), "DBSubnetGroupNotFoundFault");

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_RESTORE_");
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void instanceClassRejectedByRds_shouldFailWithConfigurationException() {
        failRestore(RdsException.builder(), "InvalidParameterCombination");

        assertThatThrownBy(() -> service().restore(req("t"))).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void invalidInput_shouldFailWithInvalidInputAndDoNothing() {
        assertThatThrownBy(() -> service().restore(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service().restore(new RestoreInstanceRequest(null, copy.arn, "orders-db", "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThatThrownBy(() -> service().restore(new RestoreInstanceRequest(RUN, null, "orders-db", "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("RDS ARN");
        assertThatThrownBy(() -> service().restore(new RestoreInstanceRequest(RUN,
                "arn:aws:rds:eu-west-1:111111111111:db:orders-db", "orders-db", "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a DB snapshot ARN");
        assertThatThrownBy(() -> service().restore(new RestoreInstanceRequest(RUN, copy.arn, "orders--db", "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sourceInstance");
        assertThat(h.rds.calls("restoreDBInstanceFromDBSnapshot")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void newInstanceName_shouldBeTheSameForEveryAttemptAndDifferPerReplication() {
        settings = Settings.minimal();
        InstanceInfo a = service().restore(req(null));
        InstanceInfo b = service().restore(new RestoreInstanceRequest("orders-db-20261124T093000Z-2", copy.arn,
                "orders-db", null));

        assertThat(a.dbInstanceIdentifier()).isEqualTo(NEW_ID);
        assertThat(b.dbInstanceIdentifier()).startsWith("orders-db-20261124t093000z-").isNotEqualTo(NEW_ID);
        assertThat(List.of(a.dbInstanceIdentifier(), b.dbInstanceIdentifier())).allMatch(id -> id.length() <= 63);
    }

    void failRestore(AwsServiceException.Builder b, String code) {
        h.rds.failNext("restoreDBInstanceFromDBSnapshot", FakeRds.error(b, code, code + " from RDS"));
    }
}
