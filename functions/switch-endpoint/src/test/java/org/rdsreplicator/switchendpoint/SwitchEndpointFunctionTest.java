package org.rdsreplicator.switchendpoint;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.testing.SecretNameProfile;
import org.rdsreplicator.common.testing.MotoSecrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/** Posts events/switch-endpoint*.json through the mock event server; RDS and Secrets Manager are moto. */
@QuarkusTest
@TestProfile(SecretNameProfile.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class SwitchEndpointFunctionTest {
    static final String SECRET = SecretNameProfile.SECRET;
    static final String OLD = "orders-db-20261123t093000z-ab994f";
    static final String NEW = "orders-db-20261124t093000z-4469ce";
    static final String PASSWORD = "Destination-Pa55word";


    @InjectSpy
    RdsClient rdsSpy;

    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void destination() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds(); SecretsManagerClient sm = MotoSecrets.client()) {
            create(rds, OLD, List.of(Tags.tag(Tags.ROLE, Tags.ROLE_CURRENT),
                    Tags.tag(Tags.SNAPSHOT_TIME, "2026-11-23T09:30:00Z")), "orders-db-20261123T093000Z");
            // reset-password has set the secret's password on the new instance (and it is in effect).
            create(rds, NEW, List.of(Tags.tag(Tags.REPLACES, OLD), Tags.tag(Tags.SNAPSHOT_TIME, "2026-11-24T09:30:00Z"),
                    Tags.tag(Tags.PASSWORD_SET_BY, "orders-db-20261124T093000Z")), "orders-db-20261124T093000Z");
            sm.createSecret(r -> r.name(SECRET).secretString("{\"engine\":\"postgres\",\"host\":\"" + OLD
                    + ".aaaaaaaaaa.us-east-1.rds.amazonaws.com\",\"port\":5432,\"username\":\"app\",\"password\":\""
                    + PASSWORD + "\",\"dbname\":\"orders\",\"dbInstanceIdentifier\":\"" + OLD + "\"}"));
        }
    }

    static void create(RdsClient rds, String id, List<Tag> extra, String replicationId) {
        List<Tag> tags = new java.util.ArrayList<>(Tags.managed(replicationId, "orders-db", null));
        tags.addAll(extra);
        MotoRds.instance(rds, id, r -> r.tags(tags));
    }

    @Test
    void sampleEvent_shouldPointSecretAtNewInstanceAndRetireOld() throws Exception {
        given().contentType("application/json").body(EventFiles.read("switch-endpoint.json"))
                .when().post()
                .then().statusCode(200)
                .body("previousInstance", equalTo(OLD))
                .body("currentInstance", equalTo(NEW))
                .body("changed", equalTo(true));

        try (RdsClient rds = MotoResource.rds(); SecretsManagerClient sm = MotoSecrets.client()) {
            var current = sm.getSecretValue(r -> r.secretId(SECRET));
            JsonNode secret = json.readTree(current.secretString());
            assertThat(secret.get("dbInstanceIdentifier").asText()).isEqualTo(NEW);
            assertThat(secret.get("host").asText()).startsWith(NEW + ".");
            assertThat(secret.get("port").asInt()).isEqualTo(5432);
            assertThat(secret.get("password").asText()).isEqualTo(PASSWORD);
            assertThat(secret.get("username").asText()).isEqualTo("app");
            assertThat(secret.get("dbname").asText()).isEqualTo("orders");
            List<SecretVersionsListEntry> versions = sm.listSecretVersionIds(r -> r.secretId(SECRET)).versions();
            assertThat(versions).hasSize(2);
            assertThat(versions).filteredOn(v -> v.versionStages().contains("AWSPREVIOUS")).hasSize(1);

            assertThat(MotoRds.tags(rds, NEW)).containsEntry(Tags.ROLE, Tags.ROLE_CURRENT);
            assertThat(MotoRds.tags(rds, OLD)).containsEntry(Tags.ROLE, Tags.ROLE_RETIRED);
        }
        // The password was set (and waited for) by reset-password: the switch never changes the instance.
        verify(rdsSpy, never()).modifyDBInstance(any(ModifyDbInstanceRequest.class));

        // The same event again (a Lambda retry): nothing more is written.
        given().contentType("application/json").body(EventFiles.read("switch-endpoint.json"))
                .when().post()
                .then().statusCode(200).body("changed", equalTo(false));
        try (SecretsManagerClient sm = MotoSecrets.client()) {
            assertThat(sm.listSecretVersionIds(r -> r.secretId(SECRET)).versions()).hasSize(2);
        }
    }

    @Test
    void missingInstance_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("switch-endpoint-missing-instance.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
    }
}
