package org.rdsreplicator.sharesnapshot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.rdsreplicator.sharesnapshot.DestinationAccountsResource.ACCOUNT_B;
import static org.rdsreplicator.sharesnapshot.DestinationAccountsResource.ACCOUNT_C;

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

/** Posts the events/ samples through the mock event server; AWS is moto. */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = DestinationAccountsResource.class, restrictToAnnotatedClass = true)
class ShareSnapshotFunctionTest {
    static final String COPY_ID = "orders-db-20261124t093000z-4469ce-share";
    static final String REPLICATION_ID = "orders-db-20261124T093000Z";

    @BeforeEach
    void snapshots() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds()) {
            MotoRds.instance(rds, "orders-db");
            rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier(COPY_ID)
                    .tags(Tags.managed(REPLICATION_ID, "orders-db", "shareable-copy")));
            rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier("hand-made-snapshot"));
        }
    }

    static List<String> restoreAccounts(String snapshotId) {
        try (RdsClient rds = MotoResource.rds()) {
            return rds.describeDBSnapshotAttributes(r -> r.dbSnapshotIdentifier(snapshotId))
                    .dbSnapshotAttributesResult().dbSnapshotAttributes().stream()
                    .filter(a -> "restore".equals(a.attributeName()))
                    .flatMap(a -> a.attributeValues().stream()).toList();
        }
    }

    @Test
    void sampleEvent_shouldShareWithBothDestinationAccounts() {
        given().contentType("application/json").body(EventFiles.read("share-snapshot.json"))
                .when().post()
                .then().statusCode(200)
                .body("snapshotArn", equalTo("arn:aws:rds:us-east-1:123456789012:snapshot:" + COPY_ID))
                .body("sharedWith", contains(ACCOUNT_B, ACCOUNT_C));

        assertThat(restoreAccounts(COPY_ID)).containsExactlyInAnyOrder(ACCOUNT_B, ACCOUNT_C);
    }

    @Test
    void sameEventTwice_shouldShareOnceAndSucceedBothTimes() {
        for (int i = 0; i < 2; i++) {
            given().contentType("application/json").body(EventFiles.read("share-snapshot.json"))
                    .when().post()
                    .then().statusCode(200).body("sharedWith", contains(ACCOUNT_B, ACCOUNT_C));
        }

        assertThat(restoreAccounts(COPY_ID)).containsExactlyInAnyOrder(ACCOUNT_B, ACCOUNT_C);
    }

    @Test
    void unmanagedSnapshot_shouldBeRefusedWithInvalidInputAndStayPrivate() {
        given().contentType("application/json").body(EventFiles.read("share-snapshot-unmanaged.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));

        assertThat(restoreAccounts("hand-made-snapshot")).isEmpty();
    }

    @Test
    void missingArn_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("share-snapshot-missing-arn.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));
    }

    @Test
    void accountAlreadyShared_shouldAddOnlyTheOtherAndListBoth() {
        try (RdsClient rds = MotoResource.rds()) {
            rds.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier(COPY_ID).attributeName("restore")
                    .valuesToAdd(ACCOUNT_B));
        }

        given().contentType("application/json").body(EventFiles.read("share-snapshot.json"))
                .when().post()
                .then().statusCode(200).body("sharedWith", contains(ACCOUNT_B, ACCOUNT_C));

        assertThat(restoreAccounts(COPY_ID)).containsExactlyInAnyOrder(ACCOUNT_B, ACCOUNT_C);
    }
}
