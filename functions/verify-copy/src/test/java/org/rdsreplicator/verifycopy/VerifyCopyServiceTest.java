package org.rdsreplicator.verifycopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.DatabaseLoginFailedException;
import org.rdsreplicator.common.errors.DatabaseUnreachableException;
import org.rdsreplicator.common.errors.EndpointNotResolvableException;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.errors.StaleCopyException;
import org.rdsreplicator.common.errors.ValidationQueryFailedException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.Harness;
import org.rdsreplicator.common.testing.LogCapture;

/** verify-copy's decisions over FakeRds, FakeSecrets and a scripted database probe (the product's is JDBC). */
class VerifyCopyServiceTest {
    static final String NEW = "orders-db-20261124t093000z-4469ce";
    static final String RUN = "orders-db-20261124T093000Z";
    static final String PASSWORD = "S3cr3t-Pa55word!xyz";

    Harness h;
    FakeSecrets secrets;
    FakeRds.Inst instance;
    ScriptedProbe probe;
    Config config;

    /** What the probe was asked, and what it answers. */
    static final class ScriptedProbe implements DatabaseProbe {
        final List<Target> opened = new ArrayList<>();
        final List<String> passwords = new ArrayList<>();
        final List<String> queries = new ArrayList<>();
        SQLException onOpen;
        SQLException onQuery;
        long rows = 1;
        CountDownLatch hang;
        boolean aborted;
        boolean closed;

        @Override
        public Session open(Target target, String password, int timeoutSeconds) throws SQLException {
            opened.add(target);
            passwords.add(password);
            if (hang != null) {
                try {
                    hang.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (onOpen != null) {
                throw onOpen;
            }
            return new Session() {
                @Override
                public long countRows(String sql, int cap, int timeout) throws SQLException {
                    queries.add(sql);
                    if (onQuery != null) {
                        throw onQuery;
                    }
                    return Math.min(rows, cap);
                }

                @Override
                public void abort() {
                    aborted = true;
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }
    }

    static final class Config implements VerifyCopyConfig {
        boolean enabled = true;
        String query;
        int minRows = 1;
        int timeoutSeconds = 20;

        @Override
        public boolean enabled() {
            return enabled;
        }

        @Override
        public Optional<String> query() {
            return Optional.ofNullable(query);
        }

        @Override
        public int minRows() {
            return minRows;
        }

        @Override
        public int timeoutSeconds() {
            return timeoutSeconds;
        }
    }

    @BeforeEach
    void setUp() {
        h = new Harness();
        secrets = new FakeSecrets();
        probe = new ScriptedProbe();
        config = new Config();
        instance = h.rds.addInstance(NEW, "available");
        instance.tags.addAll(Tags.managed(RUN, "orders-db", null));
        secrets.create(FakeSecrets.ARN, "{\"engine\":\"postgres\",\"host\":\"old.abc.rds.example\",\"port\":5432,"
                + "\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"dbname\":\"orders\","
                + "\"dbInstanceIdentifier\":\"old\"}");
    }

    VerifyCopyService service() {
        SecretStore store = secrets.store(FakeSecrets.ARN);
        return new VerifyCopyService(h.rds, new EndpointSwitch(h.rds, h.resources, store), store, config, probe);
    }

    VerifyCopyResult verify() {
        return service().verify(new VerifyCopyRequest(RUN, NEW, null), 60_000);
    }

    String role() {
        return Tags.value(instance.tags, Tags.ROLE).orElse(null);
    }

    @Test
    void verify_shouldLogInAtTheNewEndpointWithTheSecretsCredentials_andRunTheDefaultQuery() {
        VerifyCopyResult r = verify();

        assertThat(probe.opened).hasSize(1);
        DatabaseProbe.Target t = probe.opened.get(0);
        assertThat(t.host()).isEqualTo(NEW + ".abc.rds.example");
        assertThat(t.port()).isEqualTo(5432);
        assertThat(t.user()).isEqualTo("app");
        assertThat(t.database()).as("the secret's dbname").isEqualTo("orders");
        assertThat(t.family()).isEqualTo(EngineFamily.POSTGRESQL);
        assertThat(probe.passwords).containsExactly(PASSWORD);
        assertThat(probe.queries).containsExactly(VerifyCopyService.DEFAULT_QUERY);
        assertThat(probe.closed).isTrue();
        assertThat(r.outcome()).isEqualTo("verified");
        assertThat(r.rows()).isEqualTo(1);
        assertThat(r.query()).isEqualTo("default");
        assertThat(role()).as("a verified instance keeps its tags").isNull();
        assertThat(secrets.puts).as("verification never writes the secret").isZero();
    }

    @Test
    void customQuery_withEnoughRows_shouldPass_andReportTheCount() {
        config.query = "SELECT id FROM orders WHERE created_at > now() - interval '1 day'";
        config.minRows = 3;
        probe.rows = 5;

        VerifyCopyResult r = verify();

        assertThat(probe.queries).containsExactly(config.query);
        assertThat(r.rows()).isEqualTo(5);
        assertThat(r.minRows()).isEqualTo(3);
        assertThat(r.query()).isEqualTo("custom");
    }

    @Test
    void customQuery_withTooFewRows_shouldRefuseTheStaleCopy_andTagItForCleanup() {
        config.query = "SELECT id FROM orders WHERE created_at > now() - interval '1 day'";
        config.minRows = 3;
        probe.rows = 2;

        assertThatThrownBy(this::verify).isInstanceOf(StaleCopyException.class)
                .hasMessageContaining("returned 2 row(s), fewer than the 3 required");
        assertThat(role()).isEqualTo(Tags.ROLE_CLEANUP);
        assertThat(secrets.puts).isZero();
    }

    @Test
    void refusedLogin_shouldBeDatabaseLoginFailed_withoutThePassword_evenWhenTheDriverQuotesIt() {
        probe.onOpen = new SQLException("FATAL: password authentication failed for user \"app\" (tried " + PASSWORD
                + ")", "28P01");

        try (LogCapture logs = LogCapture.start()) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(this::verify);
            assertThat(thrown).isInstanceOf(DatabaseLoginFailedException.class)
                    .hasMessageContaining("28P01").hasMessageContaining("as 'app'").hasMessageContaining("****")
                    .hasMessageNotContaining(PASSWORD);
            assertThat(thrown.getCause()).as("the driver's exception is not chained").isNull();
            assertThat(logs.text()).contains("verification of " + NEW + " failed").doesNotContain(PASSWORD);
        }
        assertThat(role()).isEqualTo(Tags.ROLE_CLEANUP);
    }

    @Test
    void mysqlAccessDenied_shouldBeDatabaseLoginFailed() {
        instance.engine = "aurora-mysql";
        probe.onOpen = new SQLException("Access denied for user 'app'@'10.0.0.5' (using password: YES)", "28000",
                1045);

        assertThatThrownBy(this::verify).isInstanceOf(DatabaseLoginFailedException.class);
        assertThat(probe.opened.get(0).family()).isEqualTo(EngineFamily.MYSQL);
        assertThat(probe.opened.get(0).url()).isEqualTo("jdbc:mariadb://" + NEW + ".abc.rds.example:5432/orders");
    }

    @Test
    void unresolvableEndpoint_shouldBeRetriable_andNotTagTheInstance() {
        SQLException e = new SQLException("The connection attempt failed.", "08001");
        e.initCause(new UnknownHostException(NEW + ".abc.rds.example"));
        probe.onOpen = e;

        assertThatThrownBy(this::verify).isInstanceOf(EndpointNotResolvableException.class)
                .hasMessageContaining("does not resolve");
        assertThat(role()).as("a retry follows: nothing is marked").isNull();
    }

    @Test
    void refusedConnection_shouldBeDatabaseUnreachable() {
        probe.onOpen = new SQLException("Connection to " + NEW + ":5432 refused.", "08001");

        assertThatThrownBy(this::verify).isInstanceOf(DatabaseUnreachableException.class)
                .hasMessageContaining("08001").hasMessageContaining("jdbc:postgresql://" + NEW);
        assertThat(role()).isEqualTo(Tags.ROLE_CLEANUP);
    }

    @Test
    void failingQuery_shouldBeValidationQueryFailed() {
        config.query = "SELECT * FROM missing_table";
        probe.onQuery = new SQLException("ERROR: relation \"missing_table\" does not exist", "42P01");

        assertThatThrownBy(this::verify).isInstanceOf(ValidationQueryFailedException.class)
                .hasMessageContaining("42P01");
        assertThat(probe.closed).isTrue();
    }

    @Test
    void hangingConnection_shouldEndWithinTheTimeBox_asDatabaseUnreachable() {
        config.timeoutSeconds = 1;
        probe.hang = new CountDownLatch(1);
        long t0 = System.nanoTime();

        assertThatThrownBy(this::verify).isInstanceOf(DatabaseUnreachableException.class)
                .hasMessageContaining("within the time box of 1 s");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        probe.hang.countDown();
    }

    @Test
    void timeBox_shouldNeverOutlastTheLambda() {
        config.timeoutSeconds = 300;
        probe.hang = new CountDownLatch(1);
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> service().verify(new VerifyCopyRequest(RUN, NEW, null), 7_000))
                .isInstanceOf(DatabaseUnreachableException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("7 s left less the 5 s margin").isLessThan(4_000);
        probe.hang.countDown();
    }

    @Test
    void rollbackTarget_failingVerification_shouldKeepItsTags() {
        probe.onOpen = new SQLException("password authentication failed", "28P01");

        assertThatThrownBy(() -> service().verify(new VerifyCopyRequest(RUN, NEW, true), 60_000))
                .isInstanceOf(DatabaseLoginFailedException.class);
        assertThat(role()).isNull();
    }

    @Test
    void unsupportedEngine_shouldBeSkippedWithALogLine() {
        instance.engine = "oracle-ee";

        try (LogCapture logs = LogCapture.start()) {
            VerifyCopyResult r = verify();
            assertThat(r.outcome()).isEqualTo("skipped");
            assertThat(r.reason()).contains("oracle-ee");
            assertThat(logs.text()).contains("engine oracle-ee is not supported");
        }
        assertThat(probe.opened).isEmpty();
    }

    @Test
    void turnedOff_shouldSkipWithoutTouchingAnything() {
        config.enabled = false;

        assertThat(verify().outcome()).isEqualTo("skipped");
        assertThat(probe.opened).isEmpty();
        assertThat(h.rds.calls("describeDBInstances")).isZero();
    }

    @Test
    void instanceNotAvailable_shouldBeRetriable_beforeAnyLogin() {
        instance.status = "modifying";

        assertThatThrownBy(this::verify).isInstanceOf(InstanceNotAvailableException.class);
        assertThat(probe.opened).isEmpty();
    }

    @Test
    void unmanagedInstance_shouldBeRefused() {
        instance.tags.clear();

        assertThatThrownBy(this::verify).isInstanceOf(NotManagedException.class);
        assertThat(probe.opened).isEmpty();
    }

    @Test
    void minRowsBelowOne_shouldBeAConfigurationError() {
        config.minRows = 0;

        assertThatThrownBy(this::verify).isInstanceOf(ConfigurationException.class);
        assertThat(probe.opened).isEmpty();
    }

    @Test
    void result_shouldCarryNoCredential() {
        assertThat(verify().toString()).doesNotContain(PASSWORD);
    }

    // ---- Aurora clusters: the writer endpoint -----------------------------------------------------

    static final String CLUSTER = "ledger-20261124t093000z-4469ce";

    VerifyCopyService clusterService() {
        SecretStore store = secrets.store(FakeSecrets.ARN);
        return new VerifyCopyService(h.rds, new EndpointSwitch(h.rds, h.resources, store), store, config, probe,
                new org.rdsreplicator.common.secret.ClusterSwitch(h.rds, h.resources, store));
    }

    @Test
    void cluster_shouldBeVerifiedThroughItsWriterEndpoint() {
        h.rds.addCluster(CLUSTER, "available");
        h.rds.clusterTags.put(CLUSTER, new ArrayList<>(Tags.managedCluster(RUN, "ledger")));

        VerifyCopyResult r = clusterService().verify(new VerifyCopyRequest(RUN, null, null, CLUSTER), 60_000);

        DatabaseProbe.Target t = probe.opened.get(0);
        assertThat(t.host()).isEqualTo(CLUSTER + ".cluster-abc.rds.example");
        assertThat(t.port()).isEqualTo(5432);
        assertThat(t.family()).as("aurora-postgresql").isEqualTo(EngineFamily.POSTGRESQL);
        assertThat(probe.passwords).containsExactly(PASSWORD);
        assertThat(r.outcome()).isEqualTo("verified");
    }

    @Test
    void clusterFailingTheLogin_shouldBeTaggedForCleanup() {
        h.rds.addCluster(CLUSTER, "available");
        h.rds.clusterTags.put(CLUSTER, new ArrayList<>(Tags.managedCluster(RUN, "ledger")));
        probe.onOpen = new SQLException("password authentication failed", "28P01");

        assertThatThrownBy(() -> clusterService().verify(new VerifyCopyRequest(RUN, null, null, CLUSTER), 60_000))
                .isInstanceOf(DatabaseLoginFailedException.class);
        assertThat(Tags.value(h.rds.clusterTags.get(CLUSTER), Tags.ROLE)).contains(Tags.ROLE_CLEANUP);
    }

    @Test
    void unmanagedOrUnavailableCluster_shouldNotBeLoggedInTo() {
        h.rds.addCluster(CLUSTER, "creating");
        h.rds.clusterTags.put(CLUSTER, new ArrayList<>(Tags.managedCluster(RUN, "ledger")));
        assertThatThrownBy(() -> clusterService().verify(new VerifyCopyRequest(RUN, null, null, CLUSTER), 60_000))
                .isInstanceOf(InstanceNotAvailableException.class);
        h.rds.clusterTags.get(CLUSTER).clear();
        assertThatThrownBy(() -> clusterService().verify(new VerifyCopyRequest(RUN, null, null, CLUSTER), 60_000))
                .isInstanceOf(NotManagedException.class);
        assertThat(probe.opened).isEmpty();
    }
}
