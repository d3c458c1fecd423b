package org.rdsreplicator.preflightsource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Posts events/preflight-source-unknown-instance.json through the mock event server against moto: the packaged
 * function starts with its clients and configuration, and names the error. (moto has no DescribeAccountAttributes,
 * so the checks after the instance run in the unit test and in the end-to-end suite, whose moto is patched.)
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class PreflightSourceFunctionTest {

    @Test
    void unknownInstance_shouldReportInstanceNotFoundAndCreateNothing() {
        MotoResource.reset();
        given().contentType("application/json").body(EventFiles.read("preflight-source-unknown-instance.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InstanceNotFoundException.class.getName()));

        try (RdsClient rds = MotoResource.rds()) {
            assertThat(rds.describeDBSnapshots().dbSnapshots()).isEmpty();
        }
    }

    @Test
    void unknownCluster_shouldReportClusterNotFoundAndCreateNothing() {
        MotoResource.reset();
        given().contentType("application/json").body(EventFiles.read("preflight-source-unknown-cluster.json"))
                .when().post()
                .then().statusCode(500).body("errorType",
                        equalTo(org.rdsreplicator.common.errors.ClusterNotFoundException.class.getName()));

        try (RdsClient rds = MotoResource.rds()) {
            assertThat(rds.describeDBClusterSnapshots().dbClusterSnapshots()).isEmpty();
        }
    }
}
