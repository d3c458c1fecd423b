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

    // ---- Aurora clusters ---------------------------------------------------------------------

    ReplicationMessage readCluster(Consumer<ObjectNode> change) {
        ObjectNode m = ReplicationMessages.validCluster(json);
        change.accept(m);
        return ReplicationMessageValidator.validate(validator.parse(m.toString()), SOURCE, REGION);
    }

    void assertClusterInvalid(Consumer<ObjectNode> change, String reasonPart) {
        assertThatThrownBy(() -> readCluster(change)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining(reasonPart);
    }

    @Test
    void clusterMessage_shouldBeValid_andNameTheClusterAsItsSource() {
        ReplicationMessage m = readCluster(n -> { });

        assertThat(m.announcesCluster()).isTrue();
        assertThat(m.sourceInstance()).isNull();
        assertThat(m.sourceIdentifier()).isEqualTo("ledger");
        assertThat(m.engineMode()).isEqualTo("provisioned");
        assertThat(readCluster(n -> n.put("engineMode", "serverless-v2")).engineMode()).isEqualTo("serverless-v2");
    }

    @Test
    void instanceMessage_shouldNotCarryClusterFieldsInItsJson() throws Exception {
        String body = json.writeValueAsString(read(n -> { }));

        assertThat(body).doesNotContain("sourceCluster").doesNotContain("engineMode");
        assertThat(read(n -> { }).announcesCluster()).isFalse();
    }

    @Test
    void bothOrNeitherSource_shouldBeInvalid() {
        assertClusterInvalid(n -> n.put("sourceInstance", "orders-db"), "sourceInstance and sourceCluster are both set");
        assertClusterInvalid(n -> n.putNull("sourceCluster"), "required fields missing: sourceInstance");
    }

    @Test
    void clusterMessage_withAnInstanceSnapshotArn_shouldBeInvalid_andTheOtherWayRound() {
        assertClusterInvalid(n -> n.put("snapshotArn", SNAPSHOT), "is not a DB cluster snapshot ARN");
        assertInvalid(n -> n.put("snapshotArn", ReplicationMessages.CLUSTER_SNAPSHOT_ARN), "is not a DB snapshot ARN");
    }

    @Test
    void clusterMessage_withoutOrWithAnUnknownEngineMode_shouldBeInvalid() {
        assertClusterInvalid(n -> n.remove("engineMode"), "required fields missing: engineMode");
        assertClusterInvalid(n -> n.put("engineMode", "serverless"), "engineMode 'serverless' is not provisioned");
        assertClusterInvalid(n -> n.put("sourceCluster", "bad--name"), "sourceCluster 'bad--name' is not a valid");
        assertInvalid(n -> n.put("engineMode", "provisioned"), "engineMode is set but the message names no source cluster");
    }
}
