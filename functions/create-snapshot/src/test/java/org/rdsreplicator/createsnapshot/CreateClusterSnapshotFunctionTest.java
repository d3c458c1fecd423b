package org.rdsreplicator.createsnapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/** Posts events/create-snapshot-cluster.json through the mock event server; AWS is moto with an Aurora cluster. */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class CreateClusterSnapshotFunctionTest {

    @Test
    void clusterSampleEvent_shouldCreateATaggedClusterSnapshot() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds()) {
            rds.createDBCluster(r -> r.dbClusterIdentifier("ledger").engine("aurora-postgresql").engineVersion("16.4")
                    .masterUsername("postgres").masterUserPassword("source-password-1").storageEncrypted(true));
        }

        given().contentType("application/json").body(EventFiles.read("create-snapshot-cluster.json"))
                .when().post()
                .then().statusCode(200)
                .body("snapshotIdentifier", startsWith("ledger-20261124t093000z-"))
                .body("dbClusterIdentifier", equalTo("ledger"));

        try (RdsClient rds = MotoResource.rds()) {
            DBClusterSnapshot s = rds.describeDBClusterSnapshots(r -> r.dbClusterIdentifier("ledger")
                    .snapshotType("manual")).dbClusterSnapshots().get(0);
            assertThat(Tags.asMap(rds.listTagsForResource(r -> r.resourceName(s.dbClusterSnapshotArn())).tagList()))
                    .containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                    .containsEntry(Tags.REPLICATION_ID, "ledger-20261124T093000Z")
                    .containsEntry(Tags.SOURCE_CLUSTER, "ledger")
                    .containsEntry(Tags.KIND, Tags.KIND_SOURCE_SNAPSHOT);
            assertThat(rds.describeDBSnapshots().dbSnapshots()).isEmpty();
        }
    }
}
