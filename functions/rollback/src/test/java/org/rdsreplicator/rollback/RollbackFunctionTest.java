package org.rdsreplicator.rollback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.naming.Tags;
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

/** Posts events/rollback*.json through the mock event server; RDS and Secrets Manager are moto. */
@QuarkusTest
@TestProfile(SecretNameProfile.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class RollbackFunctionTest {
    static final String SECRET = SecretNameProfile.SECRET;
    static final String OLD = "orders-db-20261123t093000z-ab994f";
    static final String CURRENT = "orders-db-20261124t093000z-4469ce";
    static final String PASSWORD = "Destination-Pa55word";


    @InjectSpy
    RdsClient rdsSpy;

    final ObjectMapper json = new ObjectMapper();
    String versionBefore;

    @BeforeEach
    void destination() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds(); SecretsManagerClient sm = MotoSecrets.client()) {
            create(rds, OLD, managed("orders-db-20261123T093000Z", Tags.ROLE_RETIRED));
            create(rds, CURRENT, managed("orders-db-20261124T093000Z", Tags.ROLE_CURRENT));
            create(rds, "orders-db", List.of());
            versionBefore = sm.createSecret(r -> r.name(SECRET).secretString("{\"engine\":\"postgres\",\"host\":\""
                    + CURRENT + ".aaaaaaaaaa.us-east-1.rds.amazonaws.com\",\"port\":5432,\"username\":\"app\","
                    + "\"password\":\"" + PASSWORD + "\",\"dbname\":\"orders\",\"dbInstanceIdentifier\":\"" + CURRENT
                    + "\"}")).versionId();
        }
    }

    static List<Tag> managed(String replicationId, String role) {
        List<Tag> tags = new ArrayList<>(Tags.managed(replicationId, "orders-db", null));
        tags.add(Tags.tag(Tags.ROLE, role));
        return tags;
    }

    static void create(RdsClient rds, String id, List<Tag> tags) {
        MotoRds.instance(rds, id, r -> r.tags(tags));
    }

    @Test
    void sampleEvent_shouldNameTheTargetAndChangeNothing() {
        given().contentType("application/json").body(EventFiles.read("rollback.json"))
                .when().post()
                .then().statusCode(200)
                .body("dbInstanceIdentifier", equalTo(OLD))
                .body("previousInstance", equalTo(CURRENT))
                .body("secretVersionId", equalTo(versionBefore));

        assertSecretUnchanged();
        verify(rdsSpy, never()).modifyDBInstance(any(ModifyDbInstanceRequest.class));
    }

    @Test
    void unmanagedInstance_shouldReportNotManagedExceptionAndKeepSecret() {
        given().contentType("application/json").body(EventFiles.read("rollback-unmanaged.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(NotManagedException.class.getName()));

        assertSecretUnchanged();
    }

    @Test
    void unknownInstance_shouldReportInstanceNotFoundExceptionAndKeepSecret() {
        given().contentType("application/json").body(EventFiles.read("rollback-unknown.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InstanceNotFoundException.class.getName()));

        assertSecretUnchanged();
    }

    void assertSecretUnchanged() {
        try (SecretsManagerClient sm = MotoSecrets.client()) {
            assertThat(sm.getSecretValue(r -> r.secretId(SECRET)).versionId()).isEqualTo(versionBefore);
            assertThat(sm.listSecretVersionIds(r -> r.secretId(SECRET)).versions()).hasSize(1);
        }
    }
}
