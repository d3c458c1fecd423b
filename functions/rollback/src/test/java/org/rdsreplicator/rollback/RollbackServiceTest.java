package org.rdsreplicator.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.Harness;
import org.rdsreplicator.common.testing.LogCapture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** rollback (the rollback workflow's check step) over FakeRds and FakeSecrets: it reads, and changes nothing. */
class RollbackServiceTest {
    static final String OLDER = "orders-db-20261122t093000z-0a0b0c";
    static final String OLD = "orders-db-20261123t093000z-ab994f";
    static final String CURRENT = "orders-db-20261124t093000z-4469ce";
    static final String PASSWORD = "Rotated-Pa55word-2026";
    static final String RUN = "rollback-20261125T100000Z";

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
        managed(OLD, Tags.ROLE_RETIRED);
        managed(CURRENT, Tags.ROLE_CURRENT).tags.add(Tags.tag(Tags.REPLACES, OLD));
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

    RollbackTarget check(String id, String reason) {
        return service.check(new RollbackRequest(RUN, id, reason));
    }

    @Test
    void retiredInstance_shouldBeAcceptedAsTargetWithoutAnyChange() throws Exception {
        RollbackTarget t = check(OLD, "bad data in the latest copy");

        assertThat(t).isEqualTo(new RollbackTarget(OLD, CURRENT, currentVersion));
        assertNothingChanged();
    }

    @Test
    void rollbackToCurrentInstance_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> check(CURRENT, "oops")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("already the current instance");
        assertNothingChanged();
    }

    @Test
    void unmanagedInstance_shouldFailWithNotManaged() {
        h.rds.addInstance("orders-db", "available");

        assertThatThrownBy(() -> check("orders-db", "x")).isInstanceOf(NotManagedException.class);
        assertNothingChanged();
    }

    @Test
    void unknownInstance_shouldFailWithInstanceNotFound() {
        assertThatThrownBy(() -> check("no-such-db", "x")).isInstanceOf(InstanceNotFoundException.class);
        assertNothingChanged();
    }

    @Test
    void stoppedInstance_shouldFailWithInstanceNotAvailable() {
        h.rds.instances.get(OLD).status = "stopped";

        assertThatThrownBy(() -> check(OLD, "x")).isInstanceOf(InstanceNotAvailableException.class)
                .hasMessageContaining("stopped");
        assertNothingChanged();
    }

    @Test
    void secretUserIsNotTheTargetsMasterUser_shouldFailWithConfiguration() {
        h.rds.instances.get(OLD).masterUsername = "admin";

        assertThatThrownBy(() -> check(OLD, "x")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'admin'");
        assertNothingChanged();
    }

    @Test
    void invalidInput_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> service.check(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> check(null, "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.check(new RollbackRequest(null, OLD, "x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThatThrownBy(() -> check(OLD, "x".repeat(300))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("256");
        assertNothingChanged();
    }

    @Test
    void check_shouldLogTheReasonOnOneLineButNeverThePassword() {
        try (LogCapture logs = LogCapture.start()) {
            check(OLD, "bad data\nin the latest copy");

            assertThat(logs.text()).contains("bad data in the latest copy").contains(OLD).doesNotContain(PASSWORD);
        }
    }

    void assertNothingChanged() {
        assertThat(h.rds.calls("modifyDBInstance")).isZero();
        assertThat(h.rds.calls("addTagsToResource")).isZero();
        assertThat(secrets.puts).isZero();
        assertThat(role(CURRENT)).isEqualTo(Tags.ROLE_CURRENT);
    }

    // ---- Aurora clusters ------------------------------------------------------------------------

    @Test
    void retainedCluster_shouldBeTheTarget_andTheCurrentClusterRefused() throws Exception {
        String current = "ledger-20261124t093000z-4469ce";
        String older = "ledger-20261123t093000z-ab994f";
        for (String id : new String[] { current, older }) {
            h.rds.addCluster(id, "available");
            h.rds.clusterTags.put(id, new java.util.ArrayList<>(Tags.managedCluster("run-" + id.hashCode(), "ledger")));
        }
        ObjectNode secret = (ObjectNode) new ObjectMapper().readTree(secretPointingAt(CURRENT));
        secret.remove("dbInstanceIdentifier");
        secret.put("dbClusterIdentifier", current);
        secrets.putSecretValue(r -> r.secretId(FakeSecrets.ARN).secretString(secret.toString()));
        SecretStore store = secrets.store(FakeSecrets.ARN);
        RollbackService clusters = new RollbackService(new EndpointSwitch(h.rds, h.resources, store), store,
                new org.rdsreplicator.common.secret.ClusterSwitch(h.rds, h.resources, store));

        RollbackTarget t = clusters.check(new RollbackRequest(RUN, null, "bad data in the newest copy", older));

        assertThat(t.dbClusterIdentifier()).isEqualTo(older);
        assertThat(t.dbInstanceIdentifier()).isNull();
        assertThat(t.previousInstance()).isEqualTo(current);
        assertThatThrownBy(() -> clusters.check(new RollbackRequest(RUN, null, "x", current)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already the current cluster");
        h.rds.clusterTags.get(older).clear();
        assertThatThrownBy(() -> clusters.check(new RollbackRequest(RUN, null, "x", older)))
                .isInstanceOf(NotManagedException.class);
    }
}
