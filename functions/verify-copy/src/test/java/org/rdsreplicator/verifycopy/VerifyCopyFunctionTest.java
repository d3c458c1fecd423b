package org.rdsreplicator.verifycopy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.rdsreplicator.common.errors.NotManagedException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.testing.MotoSecrets;
import org.rdsreplicator.common.testing.SecretNameProfile;

import io.quarkus.test.InjectMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Posts events/verify-copy*.json through the mock event server; RDS and Secrets Manager are moto. moto's
 * instances have no reachable database, so the probe is a mock here: these tests check the wiring (input,
 * configuration, secret, endpoint, output); the real JDBC session is exercised by JdbcProbeTest and end to end
 * against a real PostgreSQL server.
 */
@QuarkusTest
@TestProfile(SecretNameProfile.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class VerifyCopyFunctionTest {
    static final String SECRET = SecretNameProfile.SECRET;
    static final String NEW = "orders-db-20261124t093000z-4469ce";
    static final String PASSWORD = "Destination-Pa55word";

    @InjectMock
    DatabaseProbe probe;

    @BeforeEach
    void destination() throws Exception {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds(); SecretsManagerClient sm = MotoSecrets.client()) {
            create(rds, NEW, Tags.managed("orders-db-20261124T093000Z", "orders-db", null));
            create(rds, "orders-db", List.of());
            sm.createSecret(r -> r.name(SECRET).secretString("{\"engine\":\"postgres\",\"host\":\"h\",\"port\":5432,"
                    + "\"username\":\"app\",\"password\":\"" + PASSWORD + "\",\"dbInstanceIdentifier\":\"x\"}"));
        }
        DatabaseProbe.Session session = org.mockito.Mockito.mock(DatabaseProbe.Session.class);
        when(session.countRows(anyString(), anyInt(), anyInt())).thenReturn(1L);
        when(probe.open(any(), anyString(), anyInt())).thenReturn(session);
    }

    static void create(RdsClient rds, String id, List<Tag> tags) {
        List<Tag> all = new ArrayList<>(tags);
        rds.createDBInstance(r -> r.dbInstanceIdentifier(id).engine("postgres").dbInstanceClass("db.t3.micro")
                .masterUsername("app").masterUserPassword("source-password-1").allocatedStorage(20).tags(all));
    }

    @Test
    void sampleEvent_shouldLogInAtTheInstancesEndpointWithTheSecretsCredentials() throws Exception {
        String body = given().contentType("application/json").body(EventFiles.read("verify-copy.json"))
                .when().post()
                .then().statusCode(200)
                .body("dbInstanceIdentifier", equalTo(NEW))
                .body("outcome", equalTo("verified"))
                .body("rows", equalTo(1))
                .extract().asString();

        ArgumentCaptor<DatabaseProbe.Target> target = ArgumentCaptor.forClass(DatabaseProbe.Target.class);
        verify(probe).open(target.capture(), org.mockito.ArgumentMatchers.eq(PASSWORD), anyInt());
        try (RdsClient rds = MotoResource.rds()) {
            var endpoint = rds.describeDBInstances(r -> r.dbInstanceIdentifier(NEW)).dbInstances().get(0).endpoint();
            assertThat(target.getValue().host()).isEqualTo(endpoint.address());
            assertThat(target.getValue().port()).isEqualTo(endpoint.port());
        }
        assertThat(target.getValue().user()).isEqualTo("app");
        assertThat(target.getValue().database()).isEqualTo("postgres");
        assertThat(body).as("the output carries no credential").doesNotContain(PASSWORD);
    }

    @Test
    void unmanagedInstance_shouldReportNotManagedException_andNeverConnect() throws Exception {
        given().contentType("application/json").body(EventFiles.read("verify-copy-unmanaged.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(NotManagedException.class.getName()));

        verify(probe, never()).open(any(), anyString(), anyInt());
    }
}
