package org.rdsreplicator.resetpassword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.WaitHarness;
import org.rdsreplicator.common.testing.LogCapture;
import org.rdsreplicator.common.wait.WaitCompleter.Outcome;

/** reset-password over FakeRds (asynchronous resets, as RDS does them), FakeSecrets and the in-memory waits. */
class ResetPasswordServiceTest {
    static final String NEW = "orders-db-20261124t093000z-4469ce";
    static final String RUN = "orders-db-20261124T093000Z";
    static final String PASSWORD = "S3cr3t-Pa55word!xyz";

    WaitHarness h;
    FakeSecrets secrets;
    ResetPasswordService service;
    FakeRds.Inst instance;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        secrets = new FakeSecrets();
        SecretStore store = secrets.store(FakeSecrets.ARN);
        service = new ResetPasswordService(h.rds, new EndpointSwitch(h.rds, h.resources, store), store, h.waited);
        instance = h.rds.addInstance(NEW, "available");
        instance.tags.addAll(Tags.managed(RUN, "orders-db", null));
        instance.asyncPasswordReset = true;
        secrets.create(FakeSecrets.ARN, "{\"engine\":\"postgres\",\"host\":\"old.abc.rds.example\",\"port\":5432,"
                + "\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"dbInstanceIdentifier\":\"old\"}");
    }

    void reset(String token) {
        service.reset(new ResetPasswordRequest(RUN, NEW, token));
    }

    String passwordSetBy() {
        return Tags.value(instance.tags, Tags.PASSWORD_SET_BY).orElse(null);
    }

    @Test
    void reset_shouldSetTheSecretsPasswordAndWaitUntilItIsInEffect() {
        reset("token-1");

        assertThat(instance.pendingPassword).isEqualTo(PASSWORD);
        assertThat(instance.masterPassword).as("not in effect yet").isEqualTo("source-password");
        assertThat(passwordSetBy()).isEqualTo(RUN);
        assertThat(h.waits.items).containsKey(instance.arn());
        assertThat(h.sfn.successes).as("the step waits while the reset is pending").isEmpty();

        h.rds.completeReset(NEW);
        assertThat(h.completer.settle(instance.arn(), false)).isEqualTo(Outcome.SUCCEEDED);

        assertThat(instance.masterPassword).isEqualTo(PASSWORD);
        assertThat(h.sfn.successes).hasSize(1);
        assertThat(h.sfn.successes.get(0).taskToken()).isEqualTo("token-1");
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void lateRestoreEventWhileResetting_shouldNotCompleteTheWait() {
        reset("token-1");
        instance.status = "available"; // RDS may still say available while the new password is pending

        assertThat(h.completer.settle(instance.arn(), false)).isEqualTo(Outcome.PENDING);
        assertThat(h.sfn.successes).isEmpty();
    }

    @Test
    void resetAlreadyInEffect_shouldCompleteAtOnce() {
        instance.asyncPasswordReset = false;

        reset("token-1");

        assertThat(instance.masterPassword).isEqualTo(PASSWORD);
        assertThat(h.sfn.successes).hasSize(1);
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void reinvokedAfterWaitTimeout_shouldWaitAgainWithoutASecondReset() {
        reset("token-1");

        reset("token-2");

        assertThat(h.rds.calls("modifyDBInstance")).isEqualTo(1);
        assertThat(h.waits.items.get(instance.arn()).taskToken()).isEqualTo("token-2");
        h.rds.completeReset(NEW);
        h.completer.settle(instance.arn(), false);
        assertThat(h.sfn.successes).extracting(r -> r.taskToken()).containsExactly("token-2");
    }

    @Test
    void anotherRunsResetTag_shouldNotStopThisRunFromResetting() {
        instance.tags.add(Tags.tag(Tags.PASSWORD_SET_BY, "orders-db-20261101T093000Z"));

        reset("token-1");

        assertThat(h.rds.calls("modifyDBInstance")).isEqualTo(1);
        assertThat(passwordSetBy()).isEqualTo(RUN);
    }

    @Test
    void secretUserIsNotTheMasterUser_shouldFailWithConfigurationBeforeAnyChange() {
        instance.masterUsername = "postgres";

        assertThatThrownBy(() -> reset("token-1")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'postgres'");
        assertUntouched();
    }

    @Test
    void unmanagedInstance_shouldFailWithNotManaged() {
        instance.tags.clear();

        assertThatThrownBy(() -> reset("token-1")).isInstanceOf(NotManagedException.class);
        assertUntouched();
    }

    @Test
    void instanceNotAvailable_shouldFailRetriablyBeforeAnyChange() {
        instance.status = "modifying";

        assertThatThrownBy(() -> reset("token-1")).isInstanceOf(InstanceNotAvailableException.class);
        assertUntouched();
    }

    @Test
    void invalidInput_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> service.reset(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.reset(new ResetPasswordRequest(null, NEW, "t")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.reset(new ResetPasswordRequest(RUN, "bad--id", "t")))
                .isInstanceOf(InvalidInputException.class);
        assertUntouched();
    }

    @Test
    void reset_shouldNeverLogThePassword() {
        try (LogCapture logs = LogCapture.start()) {
            reset("token-1");
            h.rds.completeReset(NEW);
            h.completer.settle(instance.arn(), false);

            assertThat(logs.text()).contains(NEW).doesNotContain(PASSWORD);
        }
        assertThat(h.sfn.successes.get(0).output()).doesNotContain(PASSWORD);
    }

    void assertUntouched() {
        assertThat(h.rds.calls("modifyDBInstance")).isZero();
        assertThat(h.rds.calls("addTagsToResource")).isZero();
        assertThat(h.waits.items).isEmpty();
    }

    // ---- Aurora clusters: ModifyDBCluster, the wait on the cluster ---------------------------------

    static final String CLUSTER = "ledger-20261124t093000z-4469ce";

    ResetPasswordService clusterService() {
        SecretStore store = secrets.store(FakeSecrets.ARN);
        return new ResetPasswordService(h.rds, new EndpointSwitch(h.rds, h.resources, store), store, h.waited,
                new org.rdsreplicator.common.secret.ClusterSwitch(h.rds, h.resources, store));
    }

    String clusterArn() {
        return "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster:" + CLUSTER;
    }

    @Test
    void cluster_shouldGetTheSecretsPasswordOnTheClusterAndCompleteOnlyOnceInEffect() {
        h.rds.addCluster(CLUSTER, "available");
        h.rds.clusterTags.put(CLUSTER, new java.util.ArrayList<>(Tags.managedCluster(RUN, "ledger")));
        ResetPasswordService s = clusterService();

        s.reset(new ResetPasswordRequest(RUN, null, "token-1", CLUSTER));

        assertThat(h.rds.clusterPendingPasswords).containsEntry(CLUSTER, PASSWORD);
        assertThat(h.rds.calls("modifyDBInstance")).isZero();
        assertThat(Tags.value(h.rds.clusterTags.get(CLUSTER), Tags.PASSWORD_SET_BY)).contains(RUN);
        assertThat(h.waits.items).containsKey(clusterArn());
        assertThat(h.sfn.successes).as("pending: not done").isEmpty();

        h.rds.completeClusterReset(CLUSTER);
        s.reset(new ResetPasswordRequest(RUN, null, "token-2", CLUSTER));

        assertThat(h.rds.calls("modifyDBCluster")).as("a re-invocation only waits").isEqualTo(1);
        assertThat(h.rds.clusterPasswords).containsEntry(CLUSTER, PASSWORD);
        assertThat(h.sfn.successes).extracting(r -> r.taskToken()).containsExactly("token-2");
    }

    @Test
    void unmanagedCluster_shouldBeRefusedWithoutAReset() {
        h.rds.addCluster(CLUSTER, "available");

        assertThatThrownBy(() -> clusterService().reset(new ResetPasswordRequest(RUN, null, "t", CLUSTER)))
                .isInstanceOf(NotManagedException.class);
        assertThat(h.rds.calls("modifyDBCluster")).isZero();
    }
}
