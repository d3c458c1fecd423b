package org.rdsreplicator.rdseventrouter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.records.RdsEvent;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.wait.WaitRegistry;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;

/** Posts the events/ samples through the mock event server; RDS and DynamoDB are moto. */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class RdsEventRouterFunctionTest {
    static final String SNAPSHOT_ID = "orders-db-20261124t093000z-5b1e0c";
    static final String SNAPSHOT_ARN = "arn:aws:rds:us-east-1:123456789012:snapshot:" + SNAPSHOT_ID;
    static final String INSTANCE_ID = "orders-db-20261124t093000z";
    static final String INSTANCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:" + INSTANCE_ID;

    @InjectSpy
    SfnClient sfn;

    @Inject
    WaitRegistry waits;

    @Inject
    RdsEventRouterService router;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void resetMoto() {
        MotoResource.reset();
    }

    static void createInstance(RdsClient rds, String id) {
        MotoRds.instance(rds, id);
    }

    void snapshotInMotoWithWait(String token) {
        try (RdsClient rds = MotoResource.rds()) {
            createInstance(rds, "orders-db");
            String arn = rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier(SNAPSHOT_ID))
                    .dbSnapshot().dbSnapshotArn();
            assertThat(arn).isEqualTo(SNAPSHOT_ARN);
        }
        waits.register(SNAPSHOT_ARN, token, "orders-db-20261124T093000Z", "create-snapshot");
    }

    @Test
    void snapshotAvailableEvent_shouldSendTaskSuccessOnceWithDescription() {
        snapshotInMotoWithWait("tok-snapshot");

        given().contentType("application/json").body(EventFiles.read("rds-event-router-snapshot-available.json"))
                .when().post()
                .then().statusCode(200)
                .body("resourceArn", equalTo(SNAPSHOT_ARN))
                .body("eventId", equalTo("RDS-EVENT-0042"))
                .body("outcome", equalTo("SUCCEEDED"));

        verify(sfn, times(1)).sendTaskSuccess(argThat((SendTaskSuccessRequest r) -> r.taskToken().equals("tok-snapshot")
                && r.output().contains("\"snapshotArn\":\"" + SNAPSHOT_ARN + "\"")
                && r.output().contains("\"snapshotIdentifier\":\"" + SNAPSHOT_ID + "\"")
                && r.output().contains("\"status\":\"available\"")
                && r.output().contains("\"dbInstanceIdentifier\":\"orders-db\"")));
        assertThat(waits.find(SNAPSHOT_ARN)).isEmpty();
    }

    @Test
    void duplicateEvent_shouldNotSendSecondSuccess() {
        snapshotInMotoWithWait("tok-snapshot");
        String event = EventFiles.read("rds-event-router-snapshot-available.json");

        given().contentType("application/json").body(event).when().post()
                .then().statusCode(200).body("outcome", equalTo("SUCCEEDED"));
        given().contentType("application/json").body(event).when().post()
                .then().statusCode(200).body("outcome", equalTo("NO_WAIT"));

        verify(sfn, times(1)).sendTaskSuccess(any(SendTaskSuccessRequest.class));
    }

    @Test
    void concurrentDuplicateEvents_overDynamoDb_shouldSendExactlyOneSuccess() throws Exception {
        snapshotInMotoWithWait("tok-snapshot");
        RdsEvent event = json.readValue(EventFiles.read("rds-event-router-snapshot-available.json"), RdsEvent.class);
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RouteResult>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return router.route(event);
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<RouteResult> f : results) {
                outcomes.add(f.get(60, TimeUnit.SECONDS).outcome());
            }
            assertThat(outcomes).containsOnlyOnce("SUCCEEDED");
        } finally {
            pool.shutdownNow();
        }
        verify(sfn, times(1)).sendTaskSuccess(any(SendTaskSuccessRequest.class));
    }

    @Test
    void instanceAvailableEvent_shouldSendTaskSuccessWithInstanceDescription() {
        try (RdsClient rds = MotoResource.rds()) {
            createInstance(rds, INSTANCE_ID);
        }
        waits.register(INSTANCE_ARN, "tok-instance", "orders-db-20261124T093000Z", "restore-instance");

        given().contentType("application/json").body(EventFiles.read("rds-event-router-instance-available.json"))
                .when().post()
                .then().statusCode(200)
                .body("resourceArn", equalTo(INSTANCE_ARN))
                .body("eventId", equalTo("RDS-EVENT-0043"))
                .body("outcome", equalTo("SUCCEEDED"));

        verify(sfn, times(1)).sendTaskSuccess(argThat((SendTaskSuccessRequest r) -> r.taskToken().equals("tok-instance")
                && r.output().contains("\"dbInstanceIdentifier\":\"" + INSTANCE_ID + "\"")
                && r.output().contains("\"status\":\"available\"")));
    }

    @Test
    void snapshotEvent_whenSnapshotWasDeleted_shouldSendResourceDeletedFailure() {
        waits.register(SNAPSHOT_ARN, "tok-gone", "orders-db-20261124T093000Z", "create-snapshot");

        given().contentType("application/json").body(EventFiles.read("rds-event-router-snapshot-available.json"))
                .when().post()
                .then().statusCode(200).body("outcome", equalTo("FAILED"));

        verify(sfn).sendTaskFailure(argThat((SendTaskFailureRequest r) -> r.taskToken().equals("tok-gone")
                && r.error().equals("org.rdsreplicator.common.errors.ResourceDeletedException")));
        verify(sfn, never()).sendTaskSuccess(any(SendTaskSuccessRequest.class));
    }

    @Test
    void unknownResource_shouldBeIgnored() {
        given().contentType("application/json").body(EventFiles.read("rds-event-router-unknown-resource.json"))
                .when().post()
                .then().statusCode(200)
                .body("resourceArn", equalTo("arn:aws:rds:us-east-1:123456789012:snapshot:billing-db-nightly-copy"))
                .body("eventId", equalTo("RDS-EVENT-0197"))
                .body("outcome", equalTo("NO_WAIT"));

        verify(sfn, never()).sendTaskSuccess(any(SendTaskSuccessRequest.class));
        verify(sfn, never()).sendTaskFailure(any(SendTaskFailureRequest.class));
    }

    @Test
    void malformedEvent_shouldReportInvalidInputException() {
        snapshotInMotoWithWait("tok-snapshot");

        given().contentType("application/json").body(EventFiles.read("rds-event-router-malformed.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));

        verify(sfn, never()).sendTaskSuccess(any(SendTaskSuccessRequest.class));
        assertThat(waits.find(SNAPSHOT_ARN)).isPresent();
    }
}
