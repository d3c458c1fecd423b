package org.rdsreplicator.preflightdestination;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.testing.SecretNameProfile;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Posts events/preflight-destination-missing-message.json through the mock event server: the packaged function
 * starts with its clients (RDS, EC2, KMS, Secrets Manager) and configuration, and names the error. (moto has no
 * DescribeAccountAttributes: the checks run in the unit test and in the end-to-end suite, whose moto is patched.)
 */
@QuarkusTest
@TestProfile(SecretNameProfile.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class PreflightDestinationFunctionTest {

    @Test
    void missingMessage_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("preflight-destination-missing-message.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
    }

    @Test
    void sampleEvent_shouldParseIntoTheRequestTheServiceReads() throws Exception {
        PreflightDestinationRequest r = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(EventFiles.read("preflight-destination.json"), PreflightDestinationRequest.class);
        org.assertj.core.api.Assertions.assertThat(r.message().announcesDryRun()).isTrue();
        org.assertj.core.api.Assertions.assertThat(r.message().replicationId()).isEqualTo(r.replicationId());
    }
}
