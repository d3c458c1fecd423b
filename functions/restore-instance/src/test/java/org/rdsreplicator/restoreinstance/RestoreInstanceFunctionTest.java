package org.rdsreplicator.restoreinstance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.Mockito.verify;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SecretUnreadableException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;

/**
 * Posts the events/ samples through the mock event server; AWS is moto (account 123456789012) holding
 * the current instance, the database secret pointing at it, and the local copy of the snapshot.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class RestoreInstanceFunctionTest {
    static final String COPY_ID = "orders-db-20261124t093000z-4469ce-share-local";
    static final String CURRENT = "orders-db-20261001t000000z-0a1b2c";
    static final String SECRET_NAME = "rds-replicator/orders-db";

    @InjectSpy
    SfnClient sfn;

    @BeforeEach
    void destinationAccount() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds()) {
            for (String id : List.of("orders-db", CURRENT)) {
                MotoRds.instance(rds, id);
            }
            // Stands in for the copy made by copy-shared-snapshot.
            rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier(COPY_ID));
        }
    }

    void secretPointingAtCurrent() {
        try (SecretsManagerClient sm = secrets()) {
            sm.createSecret(r -> r.name(SECRET_NAME).secretString("{\"engine\":\"postgres\",\"host\":\"" + CURRENT
                    + ".example\",\"port\":5432,\"username\":\"app\",\"password\":\"p4ss-word\",\"dbname\":\"orders\","
                    + "\"dbInstanceIdentifier\":\"" + CURRENT + "\"}"));
        }
    }

    @Test
    void sampleEvent_shouldRestoreTaggedPrivateInstanceAndLeaveTheSecretAlone() {
        secretPointingAtCurrent();
        GetSecretValueResponse before;
        try (SecretsManagerClient sm = secrets()) {
            before = sm.getSecretValue(r -> r.secretId(SECRET_NAME));
        }

        String body = given().contentType("application/json").body(EventFiles.read("restore-instance.json"))
                .when().post()
                .then().statusCode(200)
                .body("dbInstanceIdentifier", startsWith("orders-db-"))
                .body("dbInstanceIdentifier", endsWith("-4469ce"))
                .body("dbInstanceArn", startsWith("arn:aws:rds:us-east-1:123456789012:db:orders-db-"))
                .extract().asString();
        String newId = JsonPath.from(body).getString("dbInstanceIdentifier");

        try (RdsClient rds = MotoResource.rds()) {
            DBInstance i = rds.describeDBInstances(r -> r.dbInstanceIdentifier(newId)).dbInstances().get(0);
            // moto drops false-valued overrides on restore and then omits the field; a true would show.
            assertThat(i.publiclyAccessible()).isNotEqualTo(Boolean.TRUE);
            assertThat(i.dbInstanceClass()).isEqualTo("db.t3.small");
            assertThat(i.vpcSecurityGroups()).extracting(g -> g.vpcSecurityGroupId())
                    .containsExactly("sg-0123456789abcdef0");
            assertThat(Tags.asMap(rds.listTagsForResource(r -> r.resourceName(i.dbInstanceArn())).tagList()))
                    .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                    .containsEntry(Tags.REPLICATION_ID, "orders-db-20261124T093000Z")
                    .containsEntry(Tags.SOURCE_INSTANCE, "orders-db")
                    .containsEntry(Tags.REPLACES, CURRENT);
            assertThat(rds.describeDBInstances(r -> r.dbInstanceIdentifier(CURRENT)).dbInstances()).hasSize(1);
        }
        try (SecretsManagerClient sm = secrets()) {
            GetSecretValueResponse after = sm.getSecretValue(r -> r.secretId(SECRET_NAME));
            assertThat(after.secretString()).isEqualTo(before.secretString());
            assertThat(after.versionId()).isEqualTo(before.versionId());
            assertThat(sm.listSecretVersionIds(r -> r.secretId(SECRET_NAME)).versions()).hasSize(1);
        }
    }

    @Test
    void sameEventTwice_shouldAdoptTheInstanceNotRestoreASecond() {
        secretPointingAtCurrent();

        String first = given().contentType("application/json").body(EventFiles.read("restore-instance.json"))
                .when().post().then().statusCode(200).extract().path("dbInstanceIdentifier");
        String second = given().contentType("application/json").body(EventFiles.read("restore-instance.json"))
                .when().post().then().statusCode(200).extract().path("dbInstanceIdentifier");

        assertThat(second).isEqualTo(first);
        try (RdsClient rds = MotoResource.rds()) {
            assertThat(rds.describeDBInstances().dbInstances()).hasSize(3);
        }
    }

    @Test
    void withTaskToken_instanceAvailableAtOnce_shouldSendTaskSuccess() {
        secretPointingAtCurrent();
        String body = EventFiles.read("restore-instance.json").replace("{", "{\"taskToken\": \"tok-restore\",");

        given().contentType("application/json").body(body).when().post().then().statusCode(200);

        verify(sfn).sendTaskSuccess(org.mockito.ArgumentMatchers.<SendTaskSuccessRequest>argThat(
                r -> r.taskToken().equals("tok-restore") && r.output().contains("\"status\":\"available\"")));
    }

    @Test
    void secretMissing_shouldReportSecretUnreadableExceptionAndRestoreNothing() {
        given().contentType("application/json").body(EventFiles.read("restore-instance.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(SecretUnreadableException.class.getName()));

        try (RdsClient rds = MotoResource.rds()) {
            assertThat(rds.describeDBInstances().dbInstances()).hasSize(2);
        }
    }

    @Test
    void unknownSnapshot_shouldReportSnapshotNotFoundException() {
        secretPointingAtCurrent();

        given().contentType("application/json").body(EventFiles.read("restore-instance-unknown-snapshot.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(SnapshotNotFoundException.class.getName()));
    }

    @Test
    void missingSnapshotArn_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("restore-instance-missing-snapshot.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
    }

    static SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().endpointOverride(URI.create(MotoResource.endpoint()))
                .region(Region.of(MotoResource.REGION)).credentialsProvider(MotoResource.creds())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
