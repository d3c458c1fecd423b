package org.rdsreplicator.switchendpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.errors.PasswordNotInEffectException;
import org.rdsreplicator.common.errors.PromotionInProgressException;
import org.rdsreplicator.common.errors.SecretUpdateFailedException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SwitchResult;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.Harness;
import org.rdsreplicator.common.testing.InMemoryPromotionLock;
import org.rdsreplicator.common.testing.LogCapture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * switch-endpoint and the shared EndpointSwitch over FakeRds and FakeSecrets. The new instance's password has
 * been set by reset-password (tag password-set-by) unless a test says otherwise; it holds a newer snapshot than
 * the current one.
 */
class SwitchEndpointServiceTest {
    static final String OLD = "orders-db-20261123t093000z-ab994f";
    static final String NEW = "orders-db-20261124t093000z-4469ce";
    static final String RUN = "orders-db-20261124T093000Z";
    static final String PASSWORD = "S3cr3t-Pa55word!xyz";

    final ObjectMapper json = new ObjectMapper();
    Harness h;
    FakeSecrets secrets;
    String firstVersion;
    SwitchEndpointService service;
    InMemoryPromotionLock lock;

    @BeforeEach
    void setUp() {
        h = new Harness();
        secrets = new FakeSecrets();
        lock = new InMemoryPromotionLock();
        service = new SwitchEndpointService(new EndpointSwitch(h.rds, h.resources, secrets.store(FakeSecrets.ARN)),
                lock);
        FakeRds.Inst old = managed(OLD, "orders-db-20261123T093000Z");
        old.tags.add(Tags.tag(Tags.ROLE, Tags.ROLE_CURRENT));
        old.tags.add(Tags.tag(Tags.SNAPSHOT_TIME, "2026-11-23T09:30:00Z"));
        FakeRds.Inst fresh = managed(NEW, RUN);
        fresh.tags.add(Tags.tag(Tags.REPLACES, OLD));
        fresh.tags.add(Tags.tag(Tags.SNAPSHOT_TIME, "2026-11-24T09:30:00Z"));
        fresh.tags.add(Tags.tag(Tags.PASSWORD_SET_BY, RUN));
        firstVersion = secrets.create(FakeSecrets.ARN, secretPointingAt(OLD));
    }

    FakeRds.Inst managed(String id, String replicationId) {
        FakeRds.Inst i = h.rds.addInstance(id, "available");
        i.tags.addAll(Tags.managed(replicationId, "orders-db", null));
        return i;
    }

    static String secretPointingAt(String id) {
        return "{\"engine\":\"postgres\",\"host\":\"" + id + ".abc.rds.example\",\"port\":5432,"
                + "\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"dbname\":\"orders\","
                + "\"dbInstanceIdentifier\":\"" + id + "\",\"proxy\":{\"note\":\"kept as is\"}}";
    }

    ObjectNode currentSecret() throws Exception {
        return (ObjectNode) json.readTree(secrets.current(FakeSecrets.ARN).secretString());
    }

    String role(String id) {
        return Tags.value(h.rds.instances.get(id).tags, Tags.ROLE).orElse(null);
    }

    SwitchResult switchToNew() {
        return service.switchEndpoint(new SwitchEndpointRequest(RUN, NEW, null));
    }

    @Test
    void newerInstanceWithPasswordInEffect_shouldBecomeCurrentAndKeepThePromotionLock() throws Exception {
        SwitchResult r = switchToNew();

        assertThat(r).isEqualTo(new SwitchResult(OLD, NEW, secrets.current(FakeSecrets.ARN).versionId(), true, false));
        assertThat(h.rds.calls("modifyDBInstance")).as("the password was set by reset-password").isZero();
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_RETIRED);
        assertThat(lock.owner).as("held until prune-instances has run").isEqualTo(RUN);
    }

    @Test
    void passwordResetStillPending_shouldFailRetriablyAndWriteNothing() {
        h.rds.instances.get(NEW).pendingPassword = PASSWORD;

        assertThatThrownBy(this::switchToNew).isInstanceOf(InstanceNotAvailableException.class)
                .hasMessageContaining("pending");
        assertNothingChanged();
    }

    @Test
    void passwordNeverSetFromTheSecret_shouldFailWithPasswordNotInEffect() {
        h.rds.instances.get(NEW).tags.removeIf(t -> t.key().equals(Tags.PASSWORD_SET_BY));

        assertThatThrownBy(this::switchToNew).isInstanceOf(PasswordNotInEffectException.class)
                .hasMessageContaining(NEW);
        assertNothingChanged();
    }

    @Test
    void secretUserIsNotTheMasterUser_shouldFailWithConfigurationBeforeAnyChange() {
        h.rds.instances.get(NEW).masterUsername = "postgres";

        assertThatThrownBy(this::switchToNew).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'app'").hasMessageContaining("'postgres'");
        assertNothingChanged();
    }

    @Test
    void olderCopyFinishingLast_shouldBeSupersededLeavingTheSecretAndReleasingTheLock() throws Exception {
        h.rds.instances.get(NEW).tags.removeIf(t -> t.key().equals(Tags.SNAPSHOT_TIME));
        h.rds.instances.get(NEW).tags.add(Tags.tag(Tags.SNAPSHOT_TIME, "2026-11-22T09:30:00Z"));

        SwitchResult r = switchToNew();

        assertThat(r).isEqualTo(new SwitchResult(OLD, OLD, firstVersion, false, true));
        assertThat(secrets.puts).isZero();
        assertThat(currentSecret()).isEqualTo(json.readTree(secretPointingAt(OLD)));
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CLEANUP);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(lock.owner).isNull();
        assertThat(lock.events).containsExactly("acquired " + RUN, "released " + RUN);
    }

    @Test
    void rollbackToAnOlderCopy_shouldSwitchAndReleaseTheLock() {
        String rollbackRun = "rollback-20261125T100000Z";
        switchToNew();
        lock.release(RUN);
        FakeRds.Inst old = h.rds.instances.get(OLD);
        old.tags.add(Tags.tag(Tags.PASSWORD_SET_BY, rollbackRun));

        SwitchResult r = service.switchEndpoint(new SwitchEndpointRequest(rollbackRun, OLD, true));

        assertThat(r.changed()).isTrue();
        assertThat(r.superseded()).isFalse();
        assertThat(currentSecretInstance()).isEqualTo(OLD);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_RETIRED);
        assertThat(lock.owner).isNull();
    }

    @Test
    void failedRollback_shouldStillReleaseTheLock() {
        String rollbackRun = "rollback-20261125T100000Z";
        switchToNew();
        lock.release(RUN);
        h.rds.instances.get(OLD).status = "modifying";

        assertThatThrownBy(() -> service.switchEndpoint(new SwitchEndpointRequest(rollbackRun, OLD, true)))
                .isInstanceOf(InstanceNotAvailableException.class);
        assertThat(lock.owner).as("nothing else would release a rollback's lock").isNull();
    }

    @Test
    void anotherRunPromoting_shouldFailWithPromotionInProgressAndChangeNothing() {
        lock.acquire("orders-db-20261124T120000Z");

        assertThatThrownBy(this::switchToNew).isInstanceOf(PromotionInProgressException.class);
        assertNothingChanged();
        assertThat(lock.owner).isEqualTo("orders-db-20261124T120000Z");
    }

    @Test
    void switch_shouldWriteNewVersionChangingOnlyHostPortAndInstance() throws Exception {
        ObjectNode before = (ObjectNode) json.readTree(secretPointingAt(OLD));

        SwitchResult r = switchToNew();

        ObjectNode after = currentSecret();
        assertThat(after.get("dbInstanceIdentifier").asText()).isEqualTo(NEW);
        assertThat(after.get("host").asText()).isEqualTo(NEW + ".abc.rds.example");
        assertThat(after.get("port").asInt()).isEqualTo(5432);
        for (String changed : new String[] { "dbInstanceIdentifier", "host", "port" }) {
            before.remove(changed);
            after.remove(changed);
        }
        assertThat(after).isEqualTo(before);
        assertThat(secrets.versions(FakeSecrets.ARN)).hasSize(2);
        assertThat(secrets.current(FakeSecrets.ARN).versionId()).isEqualTo(r.secretVersionId())
                .isNotEqualTo(firstVersion);
        assertThat(secrets.versions(FakeSecrets.ARN).get(0).stages()).containsExactly("AWSPREVIOUS");
    }

    @Test
    void repeatedCall_shouldChangeNothingAndWriteNoSecondVersion() {
        SwitchResult first = switchToNew();
        h.rds.instances.get(NEW).status = "resetting-master-credentials";

        SwitchResult second = switchToNew();

        assertThat(second).isEqualTo(new SwitchResult(NEW, NEW, first.secretVersionId(), false, false));
        assertThat(secrets.puts).isEqualTo(1);
        assertThat(secrets.versions(FakeSecrets.ARN)).hasSize(2);
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_RETIRED);
    }

    @Test
    void retryAfterSecretWrittenButTaggingThrottled_shouldFinishTheRoles() {
        h.rds.failNext("addTagsToResource", FakeRds.error(RdsException.builder(), "Throttling", "Rate exceeded"));

        assertThatThrownBy(this::switchToNew).isInstanceOf(TransientAwsException.class);
        assertThat(currentSecretInstance()).isEqualTo(NEW);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_CURRENT);

        SwitchResult retry = switchToNew();

        assertThat(retry.changed()).isFalse();
        assertThat(secrets.puts).isEqualTo(1);
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_RETIRED);
    }

    String currentSecretInstance() {
        try {
            return currentSecret().get("dbInstanceIdentifier").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void secretWriteFails_shouldKeepPreviousVersionCurrentAndTagNewInstanceForCleanup() throws Exception {
        secrets.failNextPut = FakeSecrets.error("AccessDeniedException",
                "not authorized to perform secretsmanager:PutSecretValue", 400);

        assertThatThrownBy(this::switchToNew).isInstanceOf(SecretUpdateFailedException.class)
                .hasMessageContaining(NEW).hasMessageContaining(firstVersion);

        assertThat(secrets.current(FakeSecrets.ARN).versionId()).isEqualTo(firstVersion);
        assertThat(secrets.versions(FakeSecrets.ARN)).hasSize(1);
        assertThat(currentSecret()).isEqualTo(json.readTree(secretPointingAt(OLD)));
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CLEANUP);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_CURRENT);
    }

    static Stream<RuntimeException> transientSecretWriteFailures() {
        return Stream.of(FakeSecrets.error("InternalServiceError", "Secrets Manager is unavailable", 500),
                FakeSecrets.error("ThrottlingException", "Rate exceeded", 400),
                ApiCallAttemptTimeoutException.create(5_000));
    }

    @ParameterizedTest
    @MethodSource("transientSecretWriteFailures")
    void secretWriteFailsTransiently_shouldBeRetriedWithoutCleanupTagAndTheSameToken(RuntimeException failure) {
        secrets.failNextPut = failure;

        assertThatThrownBy(this::switchToNew).isInstanceOf(TransientAwsException.class).hasCause(failure);

        assertThat(role(NEW)).isNull();
        assertThat(secrets.current(FakeSecrets.ARN).versionId()).isEqualTo(firstVersion);

        SwitchResult retry = switchToNew();

        assertThat(retry.changed()).isTrue();
        assertThat(secrets.putTokens).hasSize(2).doesNotContainNull();
        assertThat(secrets.putTokens.get(1)).isEqualTo(secrets.putTokens.get(0));
        assertThat(secrets.versions(FakeSecrets.ARN)).hasSize(2);
        assertThat(currentSecretInstance()).isEqualTo(NEW);
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_RETIRED);
    }

    @Test
    void unmanagedTarget_shouldFailWithNotManagedAndChangeNothing() {
        h.rds.addInstance("hand-made-db", "available");

        assertThatThrownBy(() -> service.switchEndpoint(new SwitchEndpointRequest(RUN, "hand-made-db", null)))
                .isInstanceOf(NotManagedException.class);
        assertNothingChanged();
        assertThat(h.rds.instances.get("hand-made-db").tags).isEmpty();
    }

    @Test
    void unknownTarget_shouldFailWithInstanceNotFound() {
        assertThatThrownBy(() -> service.switchEndpoint(new SwitchEndpointRequest(RUN, "no-such-db", null)))
                .isInstanceOf(InstanceNotFoundException.class);
        assertNothingChanged();
    }

    @Test
    void targetStillRestoring_shouldFailWithInstanceNotAvailable() {
        h.rds.instances.get(NEW).status = "creating";

        assertThatThrownBy(this::switchToNew).isInstanceOf(InstanceNotAvailableException.class)
                .hasMessageContaining("creating");
        assertNothingChanged();
    }

    @Test
    void missingOrInvalidInput_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> service.switchEndpoint(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.switchEndpoint(new SwitchEndpointRequest(null, NEW, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThatThrownBy(() -> service.switchEndpoint(new SwitchEndpointRequest(RUN, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dbInstanceIdentifier");
        assertThatThrownBy(() -> service.switchEndpoint(new SwitchEndpointRequest(RUN, "bad--name", null)))
                .isInstanceOf(InvalidInputException.class);
        assertNothingChanged();
    }

    @Test
    void secretWithoutPassword_shouldFailWithConfigurationAndNotTouchTheInstance() {
        secrets.create(FakeSecrets.ARN, "{\"host\":\"x\",\"port\":5432,\"username\":\"app\","
                + "\"dbInstanceIdentifier\":\"" + OLD + "\"}");

        assertThatThrownBy(this::switchToNew).isInstanceOf(ConfigurationException.class);
        assertThat(h.rds.calls("addTagsToResource")).isZero();
        assertThat(secrets.puts).isZero();
    }

    @Test
    void previousInstanceNotManaged_shouldBeLeftUntagged() {
        h.rds.addInstance("orders-db-legacy", "available").masterUsername = "app";
        secrets.create(FakeSecrets.ARN, secretPointingAt("orders-db-legacy"));

        SwitchResult r = switchToNew();

        assertThat(r.previousInstance()).isEqualTo("orders-db-legacy");
        assertThat(h.rds.instances.get("orders-db-legacy").tags).isEmpty();
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CURRENT);
    }

    @Test
    void previousInstanceGone_shouldStillSwitch() {
        h.rds.instances.remove(OLD);

        SwitchResult r = switchToNew();

        assertThat(r.changed()).isTrue();
        assertThat(currentSecretInstance()).isEqualTo(NEW);
        assertThat(role(NEW)).isEqualTo(Tags.ROLE_CURRENT);
    }

    @Test
    void switchAndFailedSwitch_shouldNeverLogThePassword() {
        try (LogCapture logs = LogCapture.start()) {
            switchToNew();
            switchToNew();
            h.rds.instances.get(OLD).tags.add(Tags.tag(Tags.PASSWORD_SET_BY, "rollback-1"));
            lock.release(RUN);
            secrets.failNextPut = FakeSecrets.error("AccessDeniedException",
                    "not authorized to perform secretsmanager:PutSecretValue", 400);
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> service.switchEndpoint(new SwitchEndpointRequest("rollback-1", OLD, true)));

            assertThat(failure).isInstanceOf(SecretUpdateFailedException.class);
            assertThat(logs.text()).contains(NEW).contains(OLD).contains("tagged").doesNotContain(PASSWORD);
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
            }
        }
    }

    void assertNothingChanged() {
        assertThat(h.rds.calls("modifyDBInstance")).isZero();
        assertThat(h.rds.calls("addTagsToResource")).isZero();
        assertThat(secrets.puts).isZero();
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_CURRENT);
    }

    // ---- Aurora clusters: the writer endpoint, never back in time -----------------------------------

    static final String OLD_CLUSTER = "ledger-20261123t093000z-ab994f";
    static final String NEW_CLUSTER = "ledger-20261124t093000z-4469ce";

    SwitchEndpointService clusterService() {
        var store = secrets.store(FakeSecrets.ARN);
        return new SwitchEndpointService(new EndpointSwitch(h.rds, h.resources, store), lock,
                new org.rdsreplicator.common.secret.ClusterSwitch(h.rds, h.resources, store));
    }

    void restoredCluster(String id, String snapshotTime, boolean passwordSet) {
        h.rds.addCluster(id, "available");
        var tags = new java.util.ArrayList<>(Tags.managedCluster(RUN, "ledger"));
        tags.add(Tags.tag(Tags.SNAPSHOT_TIME, snapshotTime));
        if (passwordSet) {
            tags.add(Tags.tag(Tags.PASSWORD_SET_BY, RUN));
        }
        h.rds.clusterTags.put(id, tags);
    }

    @Test
    void cluster_shouldPointTheSecretAtItsWriterEndpoint_andRetireThePreviousCluster() throws Exception {
        restoredCluster(OLD_CLUSTER, "2026-11-23T09:30:00Z", true);
        restoredCluster(NEW_CLUSTER, "2026-11-24T09:30:00Z", true);
        ObjectNode before = currentSecret();
        before.remove("dbInstanceIdentifier");
        before.put("dbClusterIdentifier", OLD_CLUSTER);
        secrets.putSecretValue(r -> r.secretId(FakeSecrets.ARN).secretString(before.toString()));

        SwitchResult r = clusterService().switchEndpoint(new SwitchEndpointRequest(RUN, null, null, NEW_CLUSTER));

        assertThat(r.changed()).isTrue();
        assertThat(r.previousInstance()).isEqualTo(OLD_CLUSTER);
        ObjectNode after = currentSecret();
        assertThat(after.get("host").asText()).isEqualTo(NEW_CLUSTER + ".cluster-abc.rds.example");
        assertThat(after.get("dbClusterIdentifier").asText()).isEqualTo(NEW_CLUSTER);
        assertThat(after.get("engine").asText()).isEqualTo("aurora-postgresql");
        assertThat(after.has("dbInstanceIdentifier")).isFalse();
        assertThat(after.get("password").asText()).as("kept").isEqualTo(before.get("password").asText());
        assertThat(Tags.value(h.rds.clusterTags.get(NEW_CLUSTER), Tags.ROLE)).contains(Tags.ROLE_CURRENT);
        assertThat(Tags.value(h.rds.clusterTags.get(OLD_CLUSTER), Tags.ROLE)).contains(Tags.ROLE_RETIRED);
    }

    @Test
    void olderCluster_shouldBeSuperseded_andTheSecretStay() throws Exception {
        restoredCluster(OLD_CLUSTER, "2026-11-25T09:30:00Z", true);
        restoredCluster(NEW_CLUSTER, "2026-11-24T09:30:00Z", true);
        ObjectNode before = currentSecret();
        before.put("dbClusterIdentifier", OLD_CLUSTER);
        secrets.putSecretValue(r -> r.secretId(FakeSecrets.ARN).secretString(before.toString()));
        int puts = secrets.puts;

        SwitchResult r = clusterService().switchEndpoint(new SwitchEndpointRequest(RUN, null, null, NEW_CLUSTER));

        assertThat(r.superseded()).isTrue();
        assertThat(secrets.puts).isEqualTo(puts);
        assertThat(Tags.value(h.rds.clusterTags.get(NEW_CLUSTER), Tags.ROLE)).contains(Tags.ROLE_CLEANUP);
    }

    @Test
    void clusterWhosePasswordWasNeverSet_shouldNotBeSwitchedTo() {
        restoredCluster(NEW_CLUSTER, "2026-11-24T09:30:00Z", false);
        int puts = secrets.puts;

        assertThatThrownBy(() -> clusterService().switchEndpoint(new SwitchEndpointRequest(RUN, null, null, NEW_CLUSTER)))
                .isInstanceOf(PasswordNotInEffectException.class);
        assertThat(secrets.puts).isEqualTo(puts);
    }
}
