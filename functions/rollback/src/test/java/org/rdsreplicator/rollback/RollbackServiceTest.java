package org.rdsreplicator.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.errors.SecretUpdateFailedException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.secret.SwitchResult;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.Harness;
import org.rdsreplicator.common.testing.LogCapture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** rollback over FakeRds and FakeSecrets. */
class RollbackServiceTest {
    static final String OLDER = "orders-db-20261122t093000z-0a0b0c";
    static final String OLD = "orders-db-20261123t093000z-ab994f";
    static final String CURRENT = "orders-db-20261124t093000z-4469ce";
    static final String PASSWORD = "Rotated-Pa55word-2026";

    final ObjectMapper json = new ObjectMapper();
    Harness h;
    FakeSecrets secrets;
    String currentVersion;
    RollbackService service;

    @BeforeEach
    void setUp() {
        h = new Harness();
        secrets = new FakeSecrets();
        SecretStore store = secrets.store(FakeSecrets.ARN);
        service = new RollbackService(new EndpointSwitch(h.rds, h.resources, store), store);
        managed(OLDER, Tags.ROLE_RETIRED);
        managed(OLD, Tags.ROLE_RETIRED).masterPassword = "password-before-rotation";
        managed(CURRENT, Tags.ROLE_CURRENT).tags.add(Tags.tag(EndpointSwitch.REPLACES, OLD));
        currentVersion = secrets.create(FakeSecrets.ARN, secretPointingAt(CURRENT));
    }

    FakeRds.Inst managed(String id, String role) {
        FakeRds.Inst i = h.rds.addInstance(id, "available");
        i.tags.addAll(Tags.managed("run-" + id.substring(10, 18), "orders-db", null));
        i.tags.add(Tags.tag(Tags.ROLE, role));
        return i;
    }

    static String secretPointingAt(String id) {
        return "{\"engine\":\"postgres\",\"host\":\"" + id + ".abc.rds.example\",\"port\":5432,"
                + "\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"dbname\":\"orders\","
                + "\"dbInstanceIdentifier\":\"" + id + "\"}";
    }

    ObjectNode currentSecret() throws Exception {
        return (ObjectNode) json.readTree(secrets.current(FakeSecrets.ARN).secretString());
    }

    String role(String id) {
        return Tags.value(h.rds.instances.get(id).tags, Tags.ROLE).orElse(null);
    }

    @Test
    void retiredInstance_shouldBecomeCurrentWithSecretPasswordAndCurrentRetired() throws Exception {
        SwitchResult r = service.rollback(new RollbackRequest(OLD, "bad data in the latest copy"));

        assertThat(r.previousInstance()).isEqualTo(CURRENT);
        assertThat(r.currentInstance()).isEqualTo(OLD);
        assertThat(r.changed()).isTrue();
        ObjectNode secret = currentSecret();
        assertThat(secret.get("dbInstanceIdentifier").asText()).isEqualTo(OLD);
        assertThat(secret.get("host").asText()).isEqualTo(OLD + ".abc.rds.example");
        assertThat(secret.get("password").asText()).isEqualTo(PASSWORD);
        assertThat(secret.get("username").asText()).isEqualTo("app");
        assertThat(h.rds.instances.get(OLD).masterPassword).isEqualTo(PASSWORD);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(role(CURRENT)).isEqualTo(Tags.ROLE_RETIRED);
        assertThat(role(OLDER)).isEqualTo(Tags.ROLE_RETIRED);
        assertThat(secrets.versions(FakeSecrets.ARN)).hasSize(2);
    }

    @Test
    void rollback_shouldWriteVersionKeyedByTargetAndPreviousVersion() {
        SwitchResult r = service.rollback(new RollbackRequest(OLD, null));

        String expected = UUID.nameUUIDFromBytes((FakeSecrets.ARN + "|rollback-" + OLD + "-" + currentVersion)
                .getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(r.secretVersionId()).isEqualTo(expected);
        assertThat(secrets.current(FakeSecrets.ARN).versionId()).isEqualTo(expected);
    }

    @Test
    void rollbackToCurrentInstance_shouldFailWithInvalidInputAndWriteNothing() {
        assertThatThrownBy(() -> service.rollback(new RollbackRequest(CURRENT, "oops")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already the current");
        assertNothingChanged();
    }

    @Test
    void repeatedRollback_shouldFailSecondTimeAsAlreadyCurrent() {
        service.rollback(new RollbackRequest(OLD, "first"));

        assertThatThrownBy(() -> service.rollback(new RollbackRequest(OLD, "again")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(secrets.puts).isEqualTo(1);
    }

    @Test
    void unmanagedInstance_shouldFailWithNotManagedAndChangeNothing() {
        h.rds.addInstance("orders-db", "available");

        assertThatThrownBy(() -> service.rollback(new RollbackRequest("orders-db", "x")))
                .isInstanceOf(NotManagedException.class);
        assertNothingChanged();
        assertThat(h.rds.instances.get("orders-db").tags).isEmpty();
    }

    @Test
    void unknownInstance_shouldFailWithInstanceNotFound() {
        assertThatThrownBy(() -> service.rollback(new RollbackRequest("no-such-db", "x")))
                .isInstanceOf(InstanceNotFoundException.class);
        assertNothingChanged();
    }

    @Test
    void stoppedInstance_shouldFailWithInstanceNotAvailable() {
        h.rds.instances.get(OLD).status = "stopped";

        assertThatThrownBy(() -> service.rollback(new RollbackRequest(OLD, "x")))
                .isInstanceOf(InstanceNotAvailableException.class).hasMessageContaining("stopped");
        assertNothingChanged();
    }

    @Test
    void invalidInput_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> service.rollback(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.rollback(new RollbackRequest(null, "x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dbInstanceIdentifier");
        assertThatThrownBy(() -> service.rollback(new RollbackRequest(OLD, "x".repeat(300))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reason");
        assertNothingChanged();
    }

    @Test
    void secretWriteFails_shouldKeepCurrentVersionAndTagTargetForCleanup() throws Exception {
        secrets.failNextPut = FakeSecrets.error("AccessDeniedException",
                "not authorized to perform secretsmanager:PutSecretValue", 400);

        assertThatThrownBy(() -> service.rollback(new RollbackRequest(OLD, "x")))
                .isInstanceOf(SecretUpdateFailedException.class);

        assertThat(secrets.current(FakeSecrets.ARN).versionId()).isEqualTo(currentVersion);
        assertThat(currentSecret().get("dbInstanceIdentifier").asText()).isEqualTo(CURRENT);
        assertThat(role(CURRENT)).isEqualTo(Tags.ROLE_CURRENT);
        assertThat(role(OLD)).isEqualTo(Tags.ROLE_CLEANUP);
    }

    @Test
    void rollbackRuns_shouldLogReasonButNeverThePassword() {
        try (LogCapture logs = LogCapture.start()) {
            service.rollback(new RollbackRequest(OLD, "bad data\nin the latest copy"));
            secrets.failNextPut = FakeSecrets.error("AccessDeniedException",
                        "not authorized to perform secretsmanager:PutSecretValue", 400);
            Throwable failure = catchThrowable(() -> service.rollback(new RollbackRequest(OLDER, "second")));

            assertThat(failure).isInstanceOf(SecretUpdateFailedException.class);
            assertThat(logs.text()).contains("rolling back from " + CURRENT + " to " + OLD)
                    .contains("bad data in the latest copy").doesNotContain(PASSWORD);
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
            }
        }
    }

    void assertNothingChanged() {
        assertThat(h.rds.calls("modifyDBInstance")).isZero();
        assertThat(h.rds.calls("addTagsToResource")).isZero();
        assertThat(secrets.puts).isZero();
        assertThat(secrets.current(FakeSecrets.ARN).versionId()).isEqualTo(currentVersion);
    }
}
