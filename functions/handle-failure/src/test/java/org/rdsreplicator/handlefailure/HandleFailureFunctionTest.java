package org.rdsreplicator.handlefailure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.testing.MotoSecrets;
import org.rdsreplicator.common.wait.WaitRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/** Posts events/handle-failure*.json through the mock event server; RDS, DynamoDB, SNS, Secrets Manager are moto. */
@QuarkusTest
@TestProfile(DestinationProfile.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class HandleFailureFunctionTest {
    static final String RUN = "orders-db-20261124T093000Z";
    static final String OTHER_RUN = "orders-db-20261123T093000Z";
    static final String ARN_PREFIX = "arn:aws:rds:us-east-1:123456789012:";
    static final String PASSWORD = "moto-secret-password-7";

    @InjectSpy
    SnsClient sns;

    @Inject
    WaitRegistry waits;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void world() {
        MotoResource.reset();
        sns.createTopic(r -> r.name(DestinationProfile.TOPIC_NAME));
        try (RdsClient rds = MotoResource.rds()) {
            instance(rds, "orders-db", null, false);
            // previous replication: the current instance and its snapshot
            instance(rds, "orders-db-20261123t093000z", OTHER_RUN, false);
            snapshot(rds, "orders-db-20261123t093000z-a1b2c3-local", Tags.managed(OTHER_RUN, "orders-db", "local-copy"));
            // this (failed) replication
            instance(rds, "orders-db-20261124t093000z", RUN, false);
            instance(rds, "orders-db-20261124t093000z-protected", RUN, true);
            snapshot(rds, "orders-db-20261124t093000z-5b1e0c-local", Tags.managed(RUN, "orders-db", "local-copy"));
            // not ours at all, or only pretending
            snapshot(rds, "orders-db-manual-backup", List.of());
            snapshot(rds, "orders-db-lookalike", List.of(Tags.tag(Tags.REPLICATION_ID, RUN)));
        }
    }

    static void instance(RdsClient rds, String id, String replicationId, boolean deletionProtection) {
        MotoRds.instance(rds, id, r -> r.deletionProtection(deletionProtection)
                .tags(replicationId == null ? List.of() : Tags.managed(replicationId, "orders-db", null)));
    }

    static void snapshot(RdsClient rds, String id, List<Tag> tags) {
        rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier(id).tags(tags));
    }

    static void secretPointingAt(String instanceId) {
        try (SecretsManagerClient s = MotoSecrets.client()) {
            s.createSecret(r -> r.name(DestinationProfile.SECRET_NAME).secretString("{\"engine\":\"postgres\",\"host\":\""
                    + instanceId + ".abc.us-east-1.rds.amazonaws.com\",\"port\":5432,\"username\":\"app\",\"password\":\""
                    + PASSWORD + "\",\"dbname\":\"orders\",\"dbInstanceIdentifier\":\"" + instanceId + "\"}"));
        }
    }

    static List<String> instanceIds() {
        try (RdsClient rds = MotoResource.rds()) {
            return rds.describeDBInstances().dbInstances().stream().map(DBInstance::dbInstanceIdentifier).toList();
        }
    }

    static List<String> snapshotIds() {
        try (RdsClient rds = MotoResource.rds()) {
            return rds.describeDBSnapshots(r -> r.snapshotType("manual")).dbSnapshots().stream()
                    .map(DBSnapshot::dbSnapshotIdentifier).toList();
        }
    }

    JsonNode publishedAlert() throws Exception {
        ArgumentCaptor<PublishRequest> sent = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(sent.capture());
        assertThat(sent.getValue().topicArn()).isEqualTo(DestinationProfile.TOPIC_ARN);
        assertThat(sent.getValue().subject()).isEqualTo("RDS replication " + RUN + " failed at Restore instance");
        assertThat(sent.getValue().message()).doesNotContain(PASSWORD);
        return json.readTree(sent.getValue().message());
    }

    @Test
    void sampleEvent_shouldDeleteOnlyThisReplicationsResourcesAndAlert() throws Exception {
        secretPointingAt("orders-db-20261123t093000z");
        String snapArn = ARN_PREFIX + "snapshot:orders-db-20261124t093000z-5b1e0c-local";
        String instArn = ARN_PREFIX + "db:orders-db-20261124t093000z";
        waits.register(instArn, "tok-restore", RUN, "restore-instance");
        waits.register(ARN_PREFIX + "snapshot:orders-db-20261123t093000z-a1b2c3-local", "tok-other", OTHER_RUN, "x");

        given().contentType("application/json").body(EventFiles.read("handle-failure.json"))
                .when().post()
                .then().statusCode(200)
                .body("replicationId", equalTo(RUN))
                .body("failedStep", equalTo("Restore instance"))
                .body("deleted", contains(instArn, snapArn))
                .body("alertMessageId", notNullValue());

        assertThat(instanceIds()).containsExactlyInAnyOrder("orders-db", "orders-db-20261123t093000z",
                "orders-db-20261124t093000z-protected");
        assertThat(snapshotIds()).containsExactlyInAnyOrder("orders-db-20261123t093000z-a1b2c3-local",
                "orders-db-manual-backup", "orders-db-lookalike");
        assertThat(waits.find(instArn)).isEmpty();
        assertThat(waits.find(ARN_PREFIX + "snapshot:orders-db-20261123t093000z-a1b2c3-local")).isPresent();

        JsonNode alert = publishedAlert();
        assertThat(alert.get("replicationId").asText()).isEqualTo(RUN);
        assertThat(alert.get("error").asText()).isEqualTo("org.rdsreplicator.common.errors.ResourceFailedException");
        assertThat(alert.get("cause").asText()).contains("incompatible-restore");
        assertThat(alert.get("executionArn").asText()).isEqualTo(
                "arn:aws:states:us-east-1:123456789012:execution:destination-restore:" + RUN);
        assertThat(alert.get("deleted").toString()).contains(instArn, snapArn);
        assertThat(alert.get("notDeleted").toString()).contains("orders-db-20261124t093000z-protected: deletion protection is on");
    }

    @Test
    void secretPointingAtThisReplicationsInstance_shouldKeepIt() throws Exception {
        secretPointingAt("orders-db-20261124t093000z");

        given().contentType("application/json").body(EventFiles.read("handle-failure.json"))
                .when().post()
                .then().statusCode(200)
                .body("deleted", containsInAnyOrder(ARN_PREFIX + "snapshot:orders-db-20261124t093000z-5b1e0c-local"));

        assertThat(instanceIds()).contains("orders-db-20261124t093000z", "orders-db-20261124t093000z-protected");
        assertThat(publishedAlert().get("notDeleted").toString())
                .contains("db:orders-db-20261124t093000z: it is the instance the secret points to");
    }

    @Test
    void missingReplicationId_shouldReportInvalidInputExceptionAndTouchNothing() {
        secretPointingAt("orders-db-20261123t093000z");
        List<String> before = snapshotIds();

        given().contentType("application/json").body(EventFiles.read("handle-failure-missing-replication-id.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));

        assertThat(snapshotIds()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(instanceIds()).hasSize(4);
        verify(sns, never()).publish(any(PublishRequest.class));
    }
}
