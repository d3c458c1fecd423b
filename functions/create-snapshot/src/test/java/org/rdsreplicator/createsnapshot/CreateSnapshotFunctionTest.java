package org.rdsreplicator.createsnapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.verify;

import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.logging.ReplicationLog;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;

/** Posts the events/ samples through the mock event server; AWS is moto. */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class CreateSnapshotFunctionTest {

    @InjectSpy
    SfnClient sfn;

    @InjectSpy
    RdsClient rds;

    @BeforeEach
    void sourceInstance() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds()) {
            MotoRds.instance(rds, "orders-db");
        }
    }

    @Test
    void sampleEvent_shouldCreateTaggedSnapshot() {
        given().contentType("application/json").body(EventFiles.read("create-snapshot.json"))
                .when().post()
                .then().statusCode(200)
                .body("snapshotIdentifier", startsWith("orders-db-20261124t093000z-"))
                .body("dbInstanceIdentifier", equalTo("orders-db"));

        try (RdsClient rds = MotoResource.rds()) {
            DBSnapshot s = rds.describeDBSnapshots(r -> r.dbInstanceIdentifier("orders-db").snapshotType("manual"))
                    .dbSnapshots().get(0);
            assertThat(Tags.asMap(rds.listTagsForResource(r -> r.resourceName(s.dbSnapshotArn())).tagList()))
                    .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                    .containsEntry(Tags.REPLICATION_ID, "orders-db-20261124T093000Z");
        }
    }

    @Test
    void withTaskToken_snapshotAvailableAtOnce_shouldSendTaskSuccess() {
        String body = EventFiles.read("create-snapshot.json").replace("{", "{\"taskToken\": \"tok-123\",");
        given().contentType("application/json").body(body).when().post().then().statusCode(200);

        verify(sfn).sendTaskSuccess(org.mockito.ArgumentMatchers.<SendTaskSuccessRequest>argThat(
                r -> r.taskToken().equals("tok-123") && r.output().contains("\"status\":\"available\"")));
    }

    @Test
    void throttledDescribe_shouldReportTransientAwsExceptionWithTheReplicationIdInTheMdc() {
        AtomicReference<Object> mdc = new AtomicReference<>();
        doAnswer(call -> {
            mdc.set(MDC.get(ReplicationLog.KEY));
            throw RdsException.builder().awsErrorDetails(AwsErrorDetails.builder().serviceName("Rds")
                    .errorCode("Throttling").errorMessage("Rate exceeded").build()).statusCode(400).build();
        }).when(rds).describeDBInstances(any(DescribeDbInstancesRequest.class));

        given().contentType("application/json").body(EventFiles.read("create-snapshot.json"))
                .when().post()
                .then().statusCode(500)
                .body("errorType", equalTo("org.rdsreplicator.common.errors.TransientAwsException"));

        assertThat(mdc.get()).isEqualTo("orders-db-20261124T093000Z");
    }

    @Test
    void missingInstance_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("create-snapshot-missing-instance.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
    }

    @Test
    void unknownInstance_shouldReportInstanceNotFoundException() {
        given().contentType("application/json").body(EventFiles.read("create-snapshot-unknown-instance.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InstanceNotFoundException.class.getName()));
    }
}
