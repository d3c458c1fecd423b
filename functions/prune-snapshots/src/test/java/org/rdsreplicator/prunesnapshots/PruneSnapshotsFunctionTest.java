package org.rdsreplicator.prunesnapshots;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Posts events/prune-snapshots.json through the mock event server; RDS is moto (its snapshots are
 * available at once, and stamped with their creation time: they are created oldest first).
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class PruneSnapshotsFunctionTest {
    static final String SRC_22 = "orders-db-20261122t093000z-aaaaaa";
    static final String SRC_23 = "orders-db-20261123t093000z-bbbbbb";
    static final String SRC_24 = "orders-db-20261124t093000z-cccccc";
    static final String SRC_25 = "orders-db-20261125t093000z-dddddd";
    static final String BY_HAND = "orders-db-by-hand";
    static final String REPORTING = "reporting-db-20261122t093000z-eeeeee-share";

    @BeforeEach
    void source() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds()) {
            for (String id : List.of("orders-db", "reporting-db")) {
                MotoRds.instance(rds, id);
            }
            snapshot(rds, "reporting-db", REPORTING,
                    Tags.managed("reporting-db-20261122T093000Z", "reporting-db", "shareable-copy"));
            snapshot(rds, "orders-db", BY_HAND, List.of(Tags.tag(Tags.KIND, "shareable-copy")));
            replication(rds, SRC_22, "orders-db-20261122T093000Z");
            replication(rds, SRC_23, "orders-db-20261123T093000Z");
            replication(rds, SRC_24, "orders-db-20261124T093000Z");
            // A run started after the current one whose copy is not made yet.
            snapshot(rds, "orders-db", SRC_25, Tags.managed("orders-db-20261125T093000Z", "orders-db", "source-snapshot"));
        }
    }

    static void replication(RdsClient rds, String sourceSnapshot, String replicationId) {
        snapshot(rds, "orders-db", sourceSnapshot, Tags.managed(replicationId, "orders-db", "source-snapshot"));
        snapshot(rds, "orders-db", sourceSnapshot + "-share", Tags.managed(replicationId, "orders-db", "shareable-copy"));
    }

    static void snapshot(RdsClient rds, String instance, String id, List<Tag> tags) {
        rds.createDBSnapshot(r -> r.dbInstanceIdentifier(instance).dbSnapshotIdentifier(id).tags(tags));
    }

    static List<String> left(RdsClient rds) {
        return rds.describeDBSnapshots(r -> r.snapshotType("manual")).dbSnapshots().stream()
                .map(DBSnapshot::dbSnapshotIdentifier).toList();
    }

    @Test
    void sampleEvent_shouldDeleteUsedSourceSnapshotsAndCopiesOlderThanTheTwoNewest() {
        given().contentType("application/json").body(EventFiles.read("prune-snapshots.json"))
                .when().post()
                .then().statusCode(200)
                .body("deleted", containsInAnyOrder(SRC_22, SRC_23, SRC_24, SRC_22 + "-share"))
                .body("kept", containsInAnyOrder(SRC_25, SRC_24 + "-share", SRC_23 + "-share"))
                .body("notDeleted", empty());

        try (RdsClient rds = MotoResource.rds()) {
            assertThat(left(rds)).containsExactlyInAnyOrder(SRC_23 + "-share", SRC_24 + "-share", SRC_25, BY_HAND,
                    REPORTING);
        }

        // Run again: nothing more to delete.
        given().contentType("application/json").body(EventFiles.read("prune-snapshots.json"))
                .when().post()
                .then().statusCode(200)
                .body("deleted", empty())
                .body("kept", contains(SRC_25, SRC_24 + "-share", SRC_23 + "-share"));
    }

    @Test
    void missingInstance_shouldReportInvalidInputExceptionAndDeleteNothing() {
        given().contentType("application/json").body(EventFiles.read("prune-snapshots-missing-instance.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));

        try (RdsClient rds = MotoResource.rds()) {
            assertThat(left(rds)).hasSize(9);
        }
    }
}
