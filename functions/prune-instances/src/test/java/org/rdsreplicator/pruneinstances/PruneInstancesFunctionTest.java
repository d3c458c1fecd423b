package org.rdsreplicator.pruneinstances;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.InstanceInfo;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.testing.SecretNameProfile;
import org.rdsreplicator.common.testing.MotoSecrets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Posts events/prune-instances.json through the mock event server; RDS and Secrets Manager are moto. */
@QuarkusTest
@TestProfile(SecretNameProfile.class)
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class PruneInstancesFunctionTest {
    static final String SECRET = SecretNameProfile.SECRET;
    // Created in this order (moto stamps the creation time): oldest first.
    static final String OLD_RETIRED = "orders-db-20261119t093000z-111111";
    static final String OLD_PROTECTED = "orders-db-20261120t093000z-222222";
    static final String LEGACY = "orders-db";
    static final String OLD_CLEANUP = "orders-db-20261121t093000z-333333";
    static final String PREVIOUS = "orders-db-20261123t093000z-ab994f";
    static final String CURRENT = "orders-db-20261124t093000z-4469ce";


    @BeforeEach
    void destination() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds(); SecretsManagerClient sm = MotoSecrets.client()) {
            create(rds, OLD_RETIRED, managed("run-1119", Tags.ROLE_RETIRED), false);
            create(rds, OLD_PROTECTED, managed("run-1120", Tags.ROLE_RETIRED), true);
            create(rds, LEGACY, List.of(Tags.tag(Tags.ROLE, Tags.ROLE_RETIRED)), false);
            create(rds, OLD_CLEANUP, managed("run-1121", Tags.ROLE_CLEANUP), false);
            create(rds, PREVIOUS, managed("orders-db-20261123T093000Z", Tags.ROLE_RETIRED), false);
            create(rds, CURRENT, managed("orders-db-20261124T093000Z", Tags.ROLE_CURRENT), false);
            // The local copy CURRENT was restored from (its job is done), and a snapshot nobody tagged.
            rds.createDBSnapshot(r -> r.dbInstanceIdentifier(LEGACY).dbSnapshotIdentifier("orders-db-copy-4469ce")
                    .tags(Tags.managed("orders-db-20261124T093000Z", "orders-db", "local-copy")));
            rds.createDBSnapshot(r -> r.dbInstanceIdentifier(LEGACY).dbSnapshotIdentifier("orders-db-by-hand")
                    .tags(Tags.tag(Tags.KIND, "local-copy")));
            sm.createSecret(r -> r.name(SECRET).secretString("{\"host\":\"" + CURRENT
                    + ".aaaaaaaaaa.us-east-1.rds.amazonaws.com\",\"port\":5432,\"username\":\"app\","
                    + "\"password\":\"pw\",\"dbInstanceIdentifier\":\"" + CURRENT + "\"}"));
        }
    }

    static List<Tag> managed(String replicationId, String role) {
        List<Tag> tags = new ArrayList<>(Tags.managed(replicationId, "orders-db", null));
        tags.add(Tags.tag(Tags.ROLE, role));
        return tags;
    }

    static void create(RdsClient rds, String id, List<Tag> tags, boolean protect) {
        MotoRds.instance(rds, id, r -> r.tags(tags).deletionProtection(protect));
    }

    @Test
    void sampleEvent_shouldDeleteOnlyOldRetiredAndCleanupManagedInstances() {
        given().contentType("application/json").body(EventFiles.read("prune-instances.json"))
                .when().post()
                .then().statusCode(200)
                .body("kept", contains(CURRENT, PREVIOUS))
                .body("deleted", containsInAnyOrder(OLD_CLEANUP, OLD_RETIRED))
                .body("skipped", contains(OLD_PROTECTED))
                .body("deletedSnapshots", contains("orders-db-copy-4469ce"));

        try (RdsClient rds = MotoResource.rds()) {
            List<String> left = rds.describeDBInstances().dbInstances().stream()
                    .map(i -> InstanceInfo.of(i).dbInstanceIdentifier()).toList();
            assertThat(left).containsExactlyInAnyOrder(CURRENT, PREVIOUS, OLD_PROTECTED, LEGACY);
            List<String> snapshots = rds.describeDBSnapshots(r -> r.snapshotType("manual")).dbSnapshots().stream()
                    .map(DBSnapshot::dbSnapshotIdentifier).toList();
            assertThat(snapshots).contains("orders-db-by-hand").doesNotContain("orders-db-copy-4469ce");
        }

        // Run again: nothing more to delete.
        given().contentType("application/json").body(EventFiles.read("prune-instances.json"))
                .when().post()
                .then().statusCode(200)
                .body("deleted", empty())
                .body("deletedSnapshots", empty());
    }
}
