package org.rdsreplicator.rdseventrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceDeletedException;
import org.rdsreplicator.common.errors.ResourceFailedException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.records.RdsEvent;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.WaitHarness;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

class RdsEventRouterServiceTest {
    static final String SNAP = "orders-db-20261124t093000z-5b1e0c";
    static final String INST = "orders-db-20261124t093000z";

    WaitHarness h;
    RdsEventRouterService router;
    String snapArn;
    String instArn;
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        router = new RdsEventRouterService(h.completer);
        snapArn = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":snapshot:" + SNAP;
        instArn = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":db:" + INST;
    }

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    static RdsEvent event(String detailType, String sourceType, String arn, String eventId, String message) {
        String id = arn == null ? null : arn.substring(arn.lastIndexOf(':') + 1);
        return new RdsEvent("0", "6a7e8feb-b491-4cf7-a9f1-bf3703467718", detailType, "aws.rds", FakeRds.ACCOUNT,
                "2026-11-24T09:41:07Z", FakeRds.REGION, arn == null ? List.of() : List.of(arn),
                new RdsEvent.Detail(List.of("notification"), sourceType, arn, id, "2026-11-24T09:41:07.218Z", message,
                        eventId));
    }

    RdsEvent snapshotEvent(String eventId) {
        return event("RDS DB Snapshot Event", "SNAPSHOT", snapArn, eventId, "Manual snapshot created");
    }

    RdsEvent instanceEvent(String eventId) {
        return event("RDS DB Instance Event", "DB_INSTANCE", instArn, eventId, "Restored from snapshot");
    }

    void waitForSnapshot(String token) {
        h.waits.register(snapArn, token, "run-1", "create-snapshot");
    }

    // ---- completions ---------------------------------------------------------------------------

    @Test
    void snapshotCreatedEvent_withWait_shouldSendOneSuccessWithDescription() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");

        RouteResult r = router.route(snapshotEvent("RDS-EVENT-0042"));

        assertThat(r).isEqualTo(new RouteResult(snapArn, "RDS-EVENT-0042", "SUCCEEDED"));
        assertThat(h.sfn.successes).singleElement().satisfies(s -> {
            assertThat(s.taskToken()).isEqualTo("token-1");
            assertThat(s.output()).contains("\"snapshotIdentifier\":\"" + SNAP + "\"")
                    .contains("\"status\":\"available\"");
        });
        assertThat(h.sfn.failures).isEmpty();
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void instanceAvailableEvent_withWait_shouldSendSuccessWithInstanceDescription() {
        h.rds.addInstance(INST, "available");
        h.waits.register(instArn, "token-i", "run-1", "restore-instance");

        RouteResult r = router.route(instanceEvent("RDS-EVENT-0043"));

        assertThat(r.outcome()).isEqualTo("SUCCEEDED");
        assertThat(h.sfn.successes).singleElement().satisfies(s -> {
            assertThat(s.taskToken()).isEqualTo("token-i");
            assertThat(s.output()).contains("\"dbInstanceIdentifier\":\"" + INST + "\"")
                    .contains("\"status\":\"available\"").contains("\"port\":5432");
        });
    }

    @Test
    void deletionEvent_snapshotGone_shouldSendResourceDeletedFailure() {
        waitForSnapshot("token-1"); // no snapshot in RDS: it was deleted

        RouteResult r = router.route(
                event("RDS DB Snapshot Event", "SNAPSHOT", snapArn, "RDS-EVENT-0041", "Deleted manual snapshot"));

        assertThat(r.outcome()).isEqualTo("FAILED");
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.sfn.failures).singleElement().satisfies(f -> {
            assertThat(f.taskToken()).isEqualTo("token-1");
            assertThat(f.error()).isEqualTo(ResourceDeletedException.class.getName());
            assertThat(f.cause()).contains(snapArn);
        });
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void failedSnapshotStatus_shouldSendResourceFailedFailure() {
        h.rds.addSnapshot(SNAP, "orders-db", "failed");
        waitForSnapshot("token-1");

        RouteResult r = router.route(snapshotEvent("RDS-EVENT-0042"));

        assertThat(r.outcome()).isEqualTo("FAILED");
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.sfn.failures).singleElement().satisfies(f -> {
            assertThat(f.error()).isEqualTo(ResourceFailedException.class.getName());
            assertThat(f.cause()).contains("failed");
        });
    }

    @Test
    void failedInstanceStatus_shouldSendResourceFailedFailure() {
        h.rds.addInstance(INST, "incompatible-restore");
        h.waits.register(instArn, "token-i", "run-1", "restore-instance");

        assertThat(router.route(instanceEvent("RDS-EVENT-0031")).outcome()).isEqualTo("FAILED");
        assertThat(h.sfn.failures).singleElement()
                .satisfies(f -> assertThat(f.error()).isEqualTo(ResourceFailedException.class.getName()));
    }

    // ---- nothing to do -------------------------------------------------------------------------

    @Test
    void eventForUnregisteredResource_shouldBeIgnoredWithoutDescribeOrTaskCall() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");

        RouteResult r = router.route(snapshotEvent("RDS-EVENT-0042"));

        assertThat(r.outcome()).isEqualTo("NO_WAIT");
        assertThat(h.rds.calls("describeDBSnapshots")).isZero();
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.sfn.failures).isEmpty();
    }

    @Test
    void snapshotStillCreating_shouldKeepWaiting() {
        h.rds.addSnapshot(SNAP, "orders-db", "creating");
        waitForSnapshot("token-1");

        RouteResult r = router.route(snapshotEvent("RDS-EVENT-0040"));

        assertThat(r.outcome()).isEqualTo("PENDING");
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.sfn.failures).isEmpty();
        assertThat(h.waits.items).containsKey(snapArn);
    }

    @Test
    void earlyCreatedEvent_whileDescribeSaysCreating_shouldNotSucceed() {
        // The event text says "created" but Describe decides: RDS is not done yet.
        h.rds.addSnapshot(SNAP, "orders-db", "creating");
        waitForSnapshot("token-1");

        assertThat(router.route(snapshotEvent("RDS-EVENT-0042")).outcome()).isEqualTo("PENDING");
        assertThat(h.sfn.successes).isEmpty();
    }

    @Test
    void optionGroupEvent_shouldBeIgnoredWithoutLookingUpWaits() {
        String ogArn = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":og:orders-options";
        h.waits.register(ogArn, "token-o", "run-1", "x");

        RouteResult r = router.route(event("RDS DB Option Group Event", "OPTION_GROUP", ogArn, "RDS-EVENT-0000", "x"));

        assertThat(r).isEqualTo(new RouteResult(ogArn, "RDS-EVENT-0000", RouteResult.IGNORED));
        assertThat(h.waits.items).containsKey(ogArn);
        assertThat(h.sfn.successes).isEmpty();
    }

    @Test
    void clusterSnapshotCreatedEvent_withWait_shouldSucceedWithTheClusterSnapshotDescription() {
        h.rds.addClusterSnapshot("ledger-snap", "ledger", "available");
        String arn = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster-snapshot:ledger-snap";
        h.waits.register(arn, "token-cs", "run-1", "create-snapshot");

        RouteResult r = router.route(event("RDS DB Cluster Snapshot Event", "CLUSTER_SNAPSHOT", arn, "RDS-EVENT-0075",
                "Manual cluster snapshot created"));

        assertThat(r.outcome()).isEqualTo("SUCCEEDED");
        assertThat(h.sfn.successes).hasSize(1);
        assertThat(h.sfn.successes.get(0).output()).contains("\"dbClusterIdentifier\":\"ledger\"")
                .contains("\"snapshotArn\":\"" + arn + "\"");
    }

    @Test
    void clusterEvent_whilePasswordPending_shouldKeepWaiting_thenSucceedOnceInEffect() {
        h.rds.addCluster("ledger", "available");
        h.rds.clusters.put("ledger", h.rds.clusters.get("ledger").toBuilder().pendingModifiedValues(
                software.amazon.awssdk.services.rds.model.ClusterPendingModifiedValues.builder()
                        .masterUserPassword("****").build()).build());
        String arn = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster:ledger";
        h.waits.register(arn, "token-c", "run-1", "reset-password");

        assertThat(router.route(event("RDS DB Cluster Event", "CLUSTER", arn, "RDS-EVENT-0016", "reset")).outcome())
                .isEqualTo("PENDING");
        h.rds.clusters.put("ledger", h.rds.clusters.get("ledger").toBuilder().pendingModifiedValues(
                (software.amazon.awssdk.services.rds.model.ClusterPendingModifiedValues) null).build());
        assertThat(router.route(event("RDS DB Cluster Event", "CLUSTER", arn, "RDS-EVENT-0016", "reset")).outcome())
                .isEqualTo("SUCCEEDED");
        assertThat(h.sfn.successes).hasSize(1);
        assertThat(h.sfn.successes.get(0).output()).contains("ledger.cluster-abc.rds.example");
    }

    // ---- duplicates, late and out-of-order events ----------------------------------------------

    @Test
    void duplicateEvent_shouldNotSendSecondSuccess() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");

        RouteResult first = router.route(snapshotEvent("RDS-EVENT-0042"));
        RouteResult second = router.route(snapshotEvent("RDS-EVENT-0042"));

        assertThat(first.outcome()).isEqualTo("SUCCEEDED");
        assertThat(second.outcome()).isEqualTo("NO_WAIT");
        assertThat(h.sfn.successes).hasSize(1);
    }

    @Test
    void concurrentDuplicateEvents_shouldSendExactlyOneSuccess() throws Exception {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");
        int n = 8;
        pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RouteResult>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<RouteResult> call = () -> {
                start.await();
                return router.route(snapshotEvent("RDS-EVENT-0042"));
            };
            results.add(pool.submit(call));
        }
        start.countDown();

        List<String> outcomes = new ArrayList<>();
        for (Future<RouteResult> f : results) {
            outcomes.add(f.get(10, TimeUnit.SECONDS).outcome());
        }

        assertThat(h.sfn.successes).hasSize(1);
        assertThat(outcomes).containsOnlyOnce("SUCCEEDED")
                .allMatch(o -> o.equals("SUCCEEDED") || o.equals("NO_WAIT") || o.equals("ALREADY_CLAIMED"));
    }

    @Test
    void lateCreatingEvent_afterCompletion_shouldDoNothing() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");
        router.route(snapshotEvent("RDS-EVENT-0042"));

        RouteResult late = router.route(
                event("RDS DB Snapshot Event", "SNAPSHOT", snapArn, "RDS-EVENT-0040", "Creating manual snapshot"));

        assertThat(late.outcome()).isEqualTo("NO_WAIT");
        assertThat(h.sfn.successes).hasSize(1);
        assertThat(h.sfn.failures).isEmpty();
    }

    @Test
    void deletionEvent_afterCompletion_shouldNotSendFailure() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");
        router.route(snapshotEvent("RDS-EVENT-0042"));
        h.rds.snapshots.remove(SNAP);

        RouteResult r = router.route(
                event("RDS DB Snapshot Event", "SNAPSHOT", snapArn, "RDS-EVENT-0041", "Deleted manual snapshot"));

        assertThat(r.outcome()).isEqualTo("NO_WAIT");
        assertThat(h.sfn.failures).isEmpty();
    }

    @Test
    void completionCannotBeSent_shouldFailTheInvocationAndItsRetrySendsOneSuccess() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");
        h.sfn.failNext = (SfnException) SfnException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Sfn").errorCode("ThrottlingException").build())
                .statusCode(400).build();

        assertThatThrownBy(() -> router.route(snapshotEvent("RDS-EVENT-0042")))
                .isInstanceOf(TransientAwsException.class);
        assertThat(h.waits.items).containsKey(snapArn);

        // EventBridge's asynchronous retry of the same event.
        assertThat(router.route(snapshotEvent("RDS-EVENT-0042")).outcome()).isEqualTo("SUCCEEDED");
        assertThat(h.sfn.successes).singleElement().satisfies(s -> assertThat(s.taskToken()).isEqualTo("token-1"));
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void timedOutTask_shouldNotFailTheInvocation() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");
        h.sfn.failNext = TaskTimedOutException.builder().message("Task Timed Out").build();

        RouteResult r = router.route(snapshotEvent("RDS-EVENT-0042"));

        assertThat(r.outcome()).isEqualTo("STALE_TOKEN");
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void invalidOrFinishedToken_shouldNotFailTheInvocation() {
        h.rds.addSnapshot(SNAP, "orders-db", "failed");
        waitForSnapshot("token-1");
        h.sfn.failNext = InvalidTokenException.builder().message("Invalid token").build();
        assertThat(router.route(snapshotEvent("RDS-EVENT-0042")).outcome()).isEqualTo("STALE_TOKEN");

        waitForSnapshot("token-2");
        h.sfn.failNext = TaskDoesNotExistException.builder().message("Task does not exist").build();
        assertThat(router.route(snapshotEvent("RDS-EVENT-0042")).outcome()).isEqualTo("STALE_TOKEN");
    }

    @Test
    void eventWithoutSourceArn_shouldFallBackToResources() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");
        RdsEvent e = snapshotEvent("RDS-EVENT-0042");
        RdsEvent.Detail d = e.detail();
        RdsEvent noSourceArn = new RdsEvent(e.version(), e.id(), e.detailType(), e.source(), e.account(), e.time(),
                e.region(), e.resources(), new RdsEvent.Detail(d.eventCategories(), d.sourceType(), null,
                        d.sourceIdentifier(), d.date(), d.message(), d.eventId()));

        assertThat(router.route(noSourceArn).outcome()).isEqualTo("SUCCEEDED");
    }

    // ---- malformed events ----------------------------------------------------------------------

    @Test
    void malformedEvents_shouldFailWithInvalidInputAndNoSideEffect() {
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        waitForSnapshot("token-1");
        RdsEvent good = snapshotEvent("RDS-EVENT-0042");

        assertThatThrownBy(() -> router.route(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> router.route(new RdsEvent("0", "x", good.detailType(), "aws.ec2", good.account(),
                good.time(), good.region(), good.resources(), good.detail())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("aws.ec2");
        assertThatThrownBy(() -> router.route(new RdsEvent("0", "x", good.detailType(), "aws.rds", good.account(),
                good.time(), good.region(), good.resources(), null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("detail");
        assertThatThrownBy(() -> router.route(event("RDS DB Snapshot Event", "SNAPSHOT", null, "RDS-EVENT-0042", "m")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SourceArn");
        assertThatThrownBy(() -> router.route(event("RDS DB Snapshot Event", "SNAPSHOT", "not-an-arn",
                "RDS-EVENT-0042", "m"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("not-an-arn");
        assertThatThrownBy(() -> router.route(event("RDS DB Snapshot Event", "SNAPSHOT",
                "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc", "RDS-EVENT-0042", "m")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not an RDS resource ARN");

        assertThat(h.rds.calls("describeDBSnapshots")).isZero();
        assertThat(h.sfn.successes).isEmpty();
        assertThat(h.sfn.failures).isEmpty();
        assertThat(h.waits.items).containsKey(snapArn);
    }
}
