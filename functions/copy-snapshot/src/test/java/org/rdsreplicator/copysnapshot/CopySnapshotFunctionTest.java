package org.rdsreplicator.copysnapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;

/** Posts the events/ samples through the mock event server; AWS is moto. */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StackKeyResource.class, restrictToAnnotatedClass = true)
class CopySnapshotFunctionTest {
    static final String SOURCE_ID = "orders-db-20261124t093000z-4469ce";
    static final String COPY_ID = SOURCE_ID + "-share";
    static final String REPLICATION_ID = "orders-db-20261124T093000Z";

    @InjectSpy
    SfnClient sfn;

    @ConfigProperty(name = "replicator.kms-key-arn")
    String stackKey;

    @BeforeEach
    void sourceSnapshot() {
        MotoResource.reset();
        assertThat(StackKeyResource.createKey()).as("the key moto made again is the configured one")
                .isEqualTo(stackKey);
        createSourceSnapshot();
    }

    static void createSourceSnapshot() {
        try (RdsClient rds = MotoResource.rds()) {
            MotoRds.instance(rds, "orders-db", r -> r.storageEncrypted(false));
            rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier(SOURCE_ID)
                    .tags(Tags.managed(REPLICATION_ID, "orders-db", "source-snapshot")));
        }
    }

    static String withToken(String token) {
        return EventFiles.read("copy-snapshot.json").replace("{", "{\"taskToken\": \"" + token + "\",");
    }

    @Test
    void sampleEvent_unencryptedSource_shouldCopyEncryptedWithTheStackKey() {
        try (RdsClient rds = MotoResource.rds()) {
            assertThat(rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(SOURCE_ID)).dbSnapshots().get(0)
                    .encrypted()).as("source is unencrypted").isFalse();
        }

        given().contentType("application/json").body(EventFiles.read("copy-snapshot.json"))
                .when().post()
                .then().statusCode(200)
                .body("snapshotIdentifier", equalTo(COPY_ID))
                .body("snapshotArn", equalTo("arn:aws:rds:us-east-1:123456789012:snapshot:" + COPY_ID))
                .body("encrypted", equalTo(true))
                .body("kmsKeyId", equalTo(stackKey));

        try (RdsClient rds = MotoResource.rds()) {
            DBSnapshot copy = rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(COPY_ID)).dbSnapshots().get(0);
            assertThat(copy.encrypted()).isTrue();
            assertThat(copy.kmsKeyId()).isEqualTo(stackKey);
            assertThat(Tags.asMap(rds.listTagsForResource(r -> r.resourceName(copy.dbSnapshotArn())).tagList()))
                    .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                    .containsEntry(Tags.REPLICATION_ID, REPLICATION_ID)
                    .containsEntry(Tags.SOURCE_INSTANCE, "orders-db")
                    .containsEntry(Tags.KIND, "shareable-copy");
        }
    }

    @Test
    void withTaskToken_copyAvailableAtOnce_shouldSendTaskSuccessAndLeaveNoWait() {
        given().contentType("application/json").body(withToken("tok-copy-1")).when().post().then().statusCode(200);

        verify(sfn).sendTaskSuccess(argThat((SendTaskSuccessRequest r) -> r.taskToken().equals("tok-copy-1")
                && r.output().contains("\"snapshotIdentifier\":\"" + COPY_ID + "\"")
                && r.output().contains("\"encrypted\":true")));
        assertThat(waitItems()).isZero();
    }

    @Test
    void kmsKeyNotUsable_shouldReportKmsKeyNotUsableAndLeaveNoWait() {
        // A moto without the stack key: RDS answers KMSKeyNotAccessibleFault for the configured ARN.
        MotoResource.reset();
        createSourceSnapshot();

        given().contentType("application/json").body(withToken("tok-copy-2"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(KmsKeyNotUsableException.class.getName()));

        assertThat(waitItems()).isZero();
        try (RdsClient rds = MotoResource.rds()) {
            assertThat(manualSnapshots(rds)).containsExactly(SOURCE_ID);
        }
        verify(sfn, never()).sendTaskSuccess(argThat((SendTaskSuccessRequest r) -> true));
    }

    @Test
    void retryOfSameReplication_shouldAdoptTheCopyAndCompleteEachTask() {
        given().contentType("application/json").body(withToken("tok-a")).when().post().then().statusCode(200)
                .body("snapshotIdentifier", equalTo(COPY_ID));
        given().contentType("application/json").body(withToken("tok-b")).when().post().then().statusCode(200)
                .body("snapshotIdentifier", equalTo(COPY_ID));

        try (RdsClient rds = MotoResource.rds()) {
            assertThat(manualSnapshots(rds)).containsExactlyInAnyOrder(SOURCE_ID, COPY_ID);
        }
        verify(sfn).sendTaskSuccess(argThat((SendTaskSuccessRequest r) -> r.taskToken().equals("tok-a")));
        verify(sfn).sendTaskSuccess(argThat((SendTaskSuccessRequest r) -> r.taskToken().equals("tok-b")));
    }

    @Test
    void missingArn_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("copy-snapshot-missing-arn.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
    }

    @Test
    void unknownSourceSnapshot_shouldReportSnapshotNotFoundException() {
        given().contentType("application/json").body(EventFiles.read("copy-snapshot-unknown-snapshot.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(SnapshotNotFoundException.class.getName()));
    }

    /** moto also keeps an automated snapshot of the instance: only manual ones are ours. */
    private static List<String> manualSnapshots(RdsClient rds) {
        return rds.describeDBSnapshots(r -> r.dbInstanceIdentifier("orders-db").snapshotType("manual")).dbSnapshots()
                .stream().map(DBSnapshot::dbSnapshotIdentifier).toList();
    }

    private static int waitItems() {
        try (DynamoDbClient d = MotoResource.dynamo()) {
            return d.scan(r -> r.tableName(MotoResource.WAIT_TABLE)).count();
        }
    }
}
