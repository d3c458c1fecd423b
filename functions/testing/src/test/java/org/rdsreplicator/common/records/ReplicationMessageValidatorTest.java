package org.rdsreplicator.common.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidMessageException;
import org.rdsreplicator.common.testing.ReplicationMessages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ReplicationMessageValidatorTest {
    static final String SOURCE = ReplicationMessages.SOURCE_ACCOUNT;
    static final String REGION = ReplicationMessages.REGION;
    static final String SNAPSHOT = ReplicationMessages.SNAPSHOT_ARN;

    final ObjectMapper json = new ObjectMapper();
    final ReplicationMessageValidator validator = new ReplicationMessageValidator(json);

    ObjectNode validMessage() {
        return ReplicationMessages.valid(json);
    }

    ReplicationMessage read(Consumer<ObjectNode> change) {
        ObjectNode m = validMessage();
        change.accept(m);
        return ReplicationMessageValidator.validate(validator.parse(m.toString()), SOURCE, REGION);
    }

    void assertInvalid(Consumer<ObjectNode> change, String reasonPart) {
        assertThatThrownBy(() -> read(change)).isInstanceOf(InvalidMessageException.class).hasMessageContaining(reasonPart);
    }

    @Test
    void validMessage_shouldBeReturnedAsRead() throws Exception {
        ReplicationMessage m = read(n -> { });

        assertThat(m).isEqualTo(json.treeToValue(validMessage(), ReplicationMessage.class));
        assertThat(m.snapshotArn()).isEqualTo(SNAPSHOT);
    }

    @Test
    void unknownField_shouldBeIgnored() {
        assertThat(read(n -> n.put("futureField", "x")).replicationId()).isEqualTo("orders-db-20261124T093000Z");
    }

    @Test
    void unknownOrMissingSchemaVersion_shouldBeInvalid() {
        assertInvalid(n -> n.put("schemaVersion", 2), "schemaVersion 2 is not supported");
        assertInvalid(n -> n.remove("schemaVersion"), "schemaVersion is missing");
    }

    @Test
    void missingFields_shouldBeInvalidNamingEachOne() {
        assertThatThrownBy(() -> read(n -> {
            n.remove("snapshotArn");
            n.putNull("sourceInstance");
            n.put("kmsKeyArn", " ");
        })).isInstanceOf(InvalidMessageException.class)
                .hasMessage("required fields missing: sourceInstance, snapshotArn, kmsKeyArn");
    }

    @Test
    void messageClaimingAnotherAccount_shouldBeInvalid() {
        assertInvalid(n -> n.put("sourceAccount", "999999999999"), "names source account 999999999999");
    }

    @Test
    void snapshotOwnedByAnotherAccount_shouldBeInvalid() {
        assertInvalid(n -> n.put("snapshotArn", SNAPSHOT.replace(SOURCE, "999999999999")), "owned by account 999999999999");
    }

    @Test
    void snapshotInAnotherRegionThanExpected_shouldBeInvalid() {
        assertInvalid(n -> {
            n.put("snapshotArn", SNAPSHOT.replace("us-east-1", "eu-west-1"));
            n.put("sourceRegion", "eu-west-1");
        }, "is in Region eu-west-1, expected us-east-1");
    }

    @Test
    void sourceRegionNotMatchingSnapshot_shouldBeInvalid() {
        assertInvalid(n -> n.put("sourceRegion", "eu-west-1"), "does not match the snapshot's Region");
    }

    @Test
    void snapshotArnOfAnInstanceOrNotAnArn_shouldBeInvalid() {
        assertInvalid(n -> n.put("snapshotArn", "arn:aws:rds:us-east-1:" + SOURCE + ":db:orders-db"),
                "is not a DB snapshot ARN");
        assertInvalid(n -> n.put("snapshotArn", "orders-db-snap"), "snapshotArn: ");
    }

    @Test
    void invalidReplicationIdOrInstanceOrCreatedAt_shouldBeInvalid() {
        assertInvalid(n -> n.put("replicationId", "orders db/1"), "replicationId");
        assertInvalid(n -> n.put("sourceInstance", "orders--db"), "sourceInstance 'orders--db' is not a valid");
        assertInvalid(n -> n.put("createdAt", "yesterday"), "createdAt 'yesterday' is not an ISO-8601 instant");
    }

    @Test
    void kmsKeyArnOfAnotherServiceOrNotAnArn_shouldBeInvalid() {
        assertInvalid(n -> n.put("kmsKeyArn", "arn:aws:sns:us-east-1:" + SOURCE + ":key"), "is not a KMS key ARN");
        assertInvalid(n -> n.put("kmsKeyArn", "1234abcd-12ab-34cd-56ef-1234567890ab"), "is not an ARN");
    }

    @Test
    void firstFailingCheck_shouldBeTheReason() {
        // Both the version and the account are wrong: the version is checked first.
        assertInvalid(n -> {
            n.put("schemaVersion", 9);
            n.put("sourceAccount", "999999999999");
        }, "schemaVersion 9");
    }

    @Test
    void longValue_shouldBeQuotedCutWithItsLength() {
        assertInvalid(n -> n.put("sourceInstance", "a".repeat(10_000)),
                "sourceInstance '" + "a".repeat(256) + "…(10000 chars)'");
    }

    @Test
    void bodyThatIsEmptyOversizedOrNotJson_shouldBeInvalidUnread() {
        assertThatThrownBy(() -> validator.parse(" ")).isInstanceOf(InvalidMessageException.class)
                .hasMessage("the SNS Message is empty");
        assertThatThrownBy(() -> validator.parse("{" + "y".repeat(ReplicationMessageValidator.MAX_MESSAGE_CHARS)))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("more than the 16384")
                .message().hasSizeLessThan(200);
        assertThatThrownBy(() -> validator.parse("snapshot shared!")).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not a JSON replication message");
        assertThatThrownBy(() -> validator.parse("null")).isInstanceOf(InvalidMessageException.class)
                .hasMessage("the SNS Message is not a JSON object");
    }

    @Test
    void dryRunMarker_shouldBeReadAndTheMessageStillValidated() {
        assertThat(read(n -> n.put("dryRun", true)).announcesDryRun()).isTrue();
        assertThat(read(n -> { }).announcesDryRun()).isFalse();
        assertThat(read(n -> { }).dryRun()).isNull();
        assertInvalid(n -> {
            n.put("dryRun", true);
            n.put("sourceAccount", "999999999999");
        }, "names source account 999999999999");
    }

    // ---- Aurora clusters (sourceCluster, engineMode) ---------------------------------------------

    static final String CLUSTER_SNAPSHOT = SNAPSHOT.replace(":snapshot:", ":cluster-snapshot:");

    void cluster(ObjectNode n) {
        n.putNull("sourceInstance");
        n.put("sourceCluster", "ledger");
        n.put("engine", "aurora-postgresql");
        n.put("snapshotArn", CLUSTER_SNAPSHOT);
    }

    @Test
    void clusterMessage_withClusterSnapshot_shouldBeValid() {
        ReplicationMessage m = read(n -> {
            cluster(n);
            n.put("engineMode", "serverless-v2");
        });

        assertThat(m.announcesCluster()).isTrue();
        assertThat(m.sourceIdentifier()).isEqualTo("ledger");
        assertThat(m.engineMode()).isEqualTo(ReplicationMessage.ENGINE_MODE_SERVERLESS_V2);
        assertThat(read(n -> { }).announcesCluster()).isFalse();
    }

    @Test
    void clusterMessage_withoutEngineMode_shouldBeProvisioned() {
        assertThat(read(this::cluster).engineMode()).isEqualTo(ReplicationMessage.ENGINE_MODE_PROVISIONED);
    }

    @Test
    void clusterMessage_withInstanceSnapshot_shouldBeInvalid() {
        assertInvalid(n -> {
            cluster(n);
            n.put("snapshotArn", SNAPSHOT);
        }, "is not a DB cluster snapshot ARN");
    }

    @Test
    void instanceMessage_withClusterSnapshot_shouldBeInvalid() {
        assertInvalid(n -> n.put("snapshotArn", CLUSTER_SNAPSHOT), "is not a DB snapshot ARN");
    }

    @Test
    void messageNamingInstanceAndCluster_shouldBeInvalid() {
        assertInvalid(n -> n.put("sourceCluster", "ledger"), "both sourceInstance and sourceCluster");
    }

    @Test
    void clusterMessage_withUnknownEngineMode_shouldBeInvalid() {
        assertInvalid(n -> {
            cluster(n);
            n.put("engineMode", "serverless-v1");
        }, "engineMode 'serverless-v1' is not provisioned or serverless-v2");
    }

    @Test
    void instanceMessage_shouldNotWriteTheClusterFields() throws Exception {
        String text = json.writeValueAsString(read(n -> { }));

        assertThat(text).doesNotContain("sourceCluster").doesNotContain("engineMode");
    }
}
