package org.rdsreplicator.copysharedsnapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.Mockito.verify;

import java.net.URI;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;

/**
 * Posts the events/ samples through the mock event server; AWS is moto (account 123456789012).
 * moto 5.2.1 cannot copy another account's shared snapshot by ARN (it looks the name up in the
 * caller's own account), so the positive case copies a snapshot of the same account by its full ARN;
 * the cross-account rules are covered by {@link CopySharedSnapshotServiceTest}. So is an unusable KMS
 * key: moto answers a copy with an unknown key alias with HTTP 500 instead of KMSKeyNotAccessibleFault.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class CopySharedSnapshotFunctionTest {
    static final String SHARED_ID = "orders-db-20261124t093000z-4469ce-share";
    static final String LOCAL_ARN = "arn:aws:rds:us-east-1:123456789012:snapshot:" + SHARED_ID + "-local";

    @InjectSpy
    SfnClient sfn;

    String keyArn;

    @BeforeEach
    void destinationAccount() {
        MotoResource.reset();
        try (KmsClient kms = kms()) {
            keyArn = kms.createKey(r -> r.description("rds-replicator test key")).keyMetadata().arn();
            kms.createAlias(r -> r.aliasName("alias/rds-replicator").targetKeyId(keyArn));
        }
    }

    void sharedSnapshotInThisAccount() {
        try (RdsClient rds = MotoResource.rds()) {
            MotoRds.instance(rds, "orders-db");
            rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier(SHARED_ID));
        }
    }

    /** The sample event with the snapshot's account replaced by moto's (see the class comment). */
    static String sameAccountEvent(String file) {
        return EventFiles.read(file).replace(":111111111111:", ":123456789012:");
    }

    @Test
    void sampleEvent_shouldCopyReEncryptedWithLocalKeyAndTagged() {
        sharedSnapshotInThisAccount();

        given().contentType("application/json").body(sameAccountEvent("copy-shared-snapshot.json"))
                .when().post()
                .then().statusCode(200)
                .body("snapshotIdentifier", equalTo(SHARED_ID + "-local"))
                .body("snapshotArn", equalTo(LOCAL_ARN))
                .body("encrypted", equalTo(true))
                .body("kmsKeyId", equalTo(keyArn));

        try (RdsClient rds = MotoResource.rds()) {
            DBSnapshot copy = rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(SHARED_ID + "-local"))
                    .dbSnapshots().get(0);
            assertThat(Tags.asMap(rds.listTagsForResource(r -> r.resourceName(copy.dbSnapshotArn())).tagList()))
                    .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                    .containsEntry(Tags.REPLICATION_ID, "orders-db-20261124T093000Z")
                    .containsEntry(Tags.SOURCE_INSTANCE, "orders-db")
                    .containsEntry(Tags.KIND, "local-copy")
                    .containsEntry(Tags.SOURCE_ACCOUNT, "123456789012");
        }
    }

    @Test
    void withTaskToken_copyAvailableAtOnce_shouldSendTaskSuccess() {
        sharedSnapshotInThisAccount();
        String body = sameAccountEvent("copy-shared-snapshot.json").replace("{", "{\"taskToken\": \"tok-copy\",");

        given().contentType("application/json").body(body).when().post().then().statusCode(200);

        verify(sfn).sendTaskSuccess(org.mockito.ArgumentMatchers.<SendTaskSuccessRequest>argThat(
                r -> r.taskToken().equals("tok-copy") && r.output().contains(LOCAL_ARN)));
    }

    @Test
    void snapshotNotSharedWithThisAccount_shouldReportSnapshotNotFoundException() {
        given().contentType("application/json").body(EventFiles.read("copy-shared-snapshot.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(SnapshotNotFoundException.class.getName()));
    }

    @Test
    void missingSnapshotArn_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("copy-shared-snapshot-missing-arn.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
    }

    static KmsClient kms() {
        return KmsClient.builder().endpointOverride(URI.create(MotoResource.endpoint()))
                .region(Region.of(MotoResource.REGION)).credentialsProvider(MotoResource.creds())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
