package org.rdsreplicator.copyheadroom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.wait.CopyHeadroom;
import org.rdsreplicator.common.wait.CopyKind;
import org.rdsreplicator.common.wait.HeadroomQueue;
import org.rdsreplicator.common.wait.HeadroomWaiter;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;

/** Posts the events/ samples through the mock event server; AWS (RDS, the wait table) is moto. */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class CopyHeadroomFunctionTest {
    static final String QUEUE = HeadroomQueue.queue("123456789012", "us-east-1", CopyKind.INSTANCE);

    @InjectSpy
    SfnClient sfn;

    @InjectSpy
    CopyHeadroom headroom;

    @Inject
    HeadroomQueue queue;

    @BeforeEach
    void reset() {
        MotoResource.reset();
        // moto has no open task for these tokens: answer SendTaskSuccess as AWS does for an open one.
        doReturn(SendTaskSuccessResponse.builder().build()).when(sfn).sendTaskSuccess(any(SendTaskSuccessRequest.class));
    }

    @Test
    void sampleEvent_noCopyInProgress_shouldGoOnAtOnce() {
        doReturn(0).when(headroom).copiesInProgress(CopyKind.INSTANCE);

        given().contentType("application/json").body(EventFiles.read("copy-headroom.json"))
                .when().post()
                .then().statusCode(200).body("kind", equalTo("instance")).body("waiting", equalTo(false));

        verify(sfn).sendTaskSuccess(argThat((SendTaskSuccessRequest r) ->
                r.taskToken().equals("AQCEAAAAKgAAAAMAAAAAAAAAAexample-headroom-token")));
    }

    @Test
    void quotaFull_shouldWaitInTheTable_andASettledCopyShouldWakeTheOldestFirst() {
        doReturn(2).when(headroom).copiesInProgress(CopyKind.INSTANCE);  // the quota is 2 here
        String older = EventFiles.read("copy-headroom.json");
        String younger = older.replace("orders-db-20261124T093000Z", "billing-db-20261124T093000Z")
                .replace("example-headroom-token", "younger-token");

        given().contentType("application/json").body(older).when().post().then().statusCode(200)
                .body("waiting", equalTo(true));
        given().contentType("application/json").body(younger).when().post().then().statusCode(200)
                .body("waiting", equalTo(true));
        verify(sfn, never()).sendTaskSuccess(any(SendTaskSuccessRequest.class));
        List<HeadroomWaiter> waiting = queue.waiters(QUEUE);
        assertThat(waiting).extracting(HeadroomWaiter::replicationId)
                .containsExactly("orders-db-20261124T093000Z", "billing-db-20261124T093000Z");

        headroom.copySettled(RdsArn.parse("arn:aws:rds:us-east-1:123456789012:snapshot:other-share"));

        verify(sfn).sendTaskSuccess(argThat((SendTaskSuccessRequest r) ->
                r.taskToken().equals("AQCEAAAAKgAAAAMAAAAAAAAAAexample-headroom-token")));
        verify(sfn, never()).sendTaskSuccess(argThat((SendTaskSuccessRequest r) -> r.taskToken().equals("younger-token")));
        assertThat(queue.waiters(QUEUE)).extracting(HeadroomWaiter::woken).containsExactly(true, false);
    }

    @Test
    void unknownKind_shouldFailNamed() {
        given().contentType("application/json").body(EventFiles.read("copy-headroom-unknown-kind.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
        assertThat(queue.waiters(QUEUE)).isEmpty();
    }
}
