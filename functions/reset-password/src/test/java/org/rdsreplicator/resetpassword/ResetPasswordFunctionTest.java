package org.rdsreplicator.resetpassword;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.testing.MotoSecrets;
import org.rdsreplicator.common.testing.SecretNameProfile;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.mockito.InjectSpy;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Posts events/reset-password*.json through the mock event server; RDS and Secrets Manager are moto. */
@QuarkusTest
@TestProfile(SecretNameProfile.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class ResetPasswordFunctionTest {
    static final String SECRET = SecretNameProfile.SECRET;
    static final String NEW = "orders-db-20261124t093000z-4469ce";
    static final String PASSWORD = "Destination-Pa55word";

    @InjectSpy
    RdsClient rdsSpy;

    @BeforeEach
    void destination() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds(); SecretsManagerClient sm = MotoSecrets.client()) {
            create(rds, NEW, Tags.managed("orders-db-20261124T093000Z", "orders-db", null));
            create(rds, "orders-db", List.of());
            sm.createSecret(r -> r.name(SECRET).secretString("{\"engine\":\"postgres\",\"host\":\"h\",\"port\":5432,"
                    + "\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"dbInstanceIdentifier\":\"x\"}"));
        }
    }

    static void create(RdsClient rds, String id, List<Tag> tags) {
        List<Tag> all = new ArrayList<>(tags);
        MotoRds.instance(rds, id, r -> r.tags(all));
    }

    @Test
    void sampleEvent_shouldSetTheSecretsPasswordAndMarkTheInstance() {
        given().contentType("application/json").body(EventFiles.read("reset-password.json"))
                .when().post()
                .then().statusCode(200)
                .body("dbInstanceIdentifier", equalTo(NEW));

        // moto accepts the password change but never shows it: check what was sent.
        verify(rdsSpy).modifyDBInstance(argThat((ModifyDbInstanceRequest r) -> NEW.equals(r.dbInstanceIdentifier())
                && PASSWORD.equals(r.masterUserPassword()) && Boolean.TRUE.equals(r.applyImmediately())));
        try (RdsClient rds = MotoResource.rds()) {
            String arn = rds.describeDBInstances(r -> r.dbInstanceIdentifier(NEW)).dbInstances().get(0).dbInstanceArn();
            assertThat(Tags.asMap(rds.listTagsForResource(r -> r.resourceName(arn)).tagList()))
                    .containsEntry(Tags.PASSWORD_SET_BY, "orders-db-20261124T093000Z");
        }
    }

    @Test
    void unmanagedInstance_shouldReportNotManagedExceptionAndNotTouchIt() {
        given().contentType("application/json").body(EventFiles.read("reset-password-unmanaged.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(NotManagedException.class.getName()));

        verify(rdsSpy, never()).modifyDBInstance(any(ModifyDbInstanceRequest.class));
    }
}
