package org.rdsreplicator.startrestore;

import org.rdsreplicator.common.testing.RecordingSns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.LogCapture;
import org.rdsreplicator.common.testing.ReplicationMessages;
import org.rdsreplicator.startrestore.StartRestoreResult.Outcome;
import org.rdsreplicator.startrestore.StartRestoreResult.Status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sns.model.SnsException;

class StartRestoreServiceTest {
    static final String SOURCE = ReplicationMessages.SOURCE_ACCOUNT;
    static final String TOPIC = "arn:aws:sns:us-east-1:" + SOURCE + ":rds-replicator-replication";
    static final String STATE_MACHINE = "arn:aws:states:us-east-1:222222222222:stateMachine:destination-restore";
    static final String ALERTS = "arn:aws:sns:us-east-1:222222222222:rds-replicator-alerts";
    static final String SNAPSHOT = ReplicationMessages.SNAPSHOT_ARN;

    final ObjectMapper json = new ObjectMapper();
    ExecutionsSfn sfn;
    RecordingSns sns;
    StartRestoreConfig config;
    StartRestoreService service;

    @BeforeEach
    void setUp() {
        sfn = new ExecutionsSfn();
        sns = new RecordingSns();
        config = mock(StartRestoreConfig.class);
        when(config.sourceAccountId()).thenReturn(Optional.of(SOURCE));
        when(config.sourceTopicArn()).thenReturn(Optional.of(TOPIC));
        when(config.restoreStateMachineArn()).thenReturn(Optional.of(STATE_MACHINE));
        when(config.alertsTopicArn()).thenReturn(Optional.of(ALERTS));
        when(config.sourceRegion()).thenReturn(Optional.empty());
        service = new StartRestoreService(config, sfn, sns, json, () -> "us-east-1");
    }

    ObjectNode validMessage() {
        return ReplicationMessages.valid(json);
    }

    SnsEvent event(String topicArn, String body) {
        return new SnsEvent(List.of(new SnsEvent.SnsRecord("aws:sns", "1.0", topicArn + ":sub", new SnsEvent.Sns(
                "Notification", "msg-1", topicArn, null, body, "2026-11-24T09:52:17.000Z", Map.of()))));
    }

    SnsEvent event(Consumer<ObjectNode> change) {
        ObjectNode m = validMessage();
        change.accept(m);
        return event(TOPIC, m.toString());
    }

    Outcome only(StartRestoreResult r) {
        assertThat(r.outcomes()).hasSize(1);
        return r.outcomes().get(0);
    }

    void assertRejected(Outcome o, String reasonPart) {
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.reason()).contains(reasonPart);
        assertThat(o.executionArn()).isNull();
        assertThat(sfn.executions).isEmpty();
        assertThat(sns.published).singleElement().satisfies(p -> {
            assertThat(p.topicArn()).isEqualTo(ALERTS);
            assertThat(p.message()).contains(RejectionAlert.KIND).contains(reasonPart).contains(o.messageId());
        });
    }

    @Test
    void validMessage_shouldStartExecutionNamedAfterReplicationWithMessageAsInput() throws Exception {
        Outcome o = only(service.start(event(m -> { })));

        assertThat(o.status()).isEqualTo(Status.STARTED);
        assertThat(o.replicationId()).isEqualTo("orders-db-20261124T093000Z");
        assertThat(o.executionArn()).endsWith(":destination-restore:orders-db-20261124T093000Z");
        assertThat(sfn.executions).singleElement().satisfies(r -> {
            assertThat(r.stateMachineArn()).isEqualTo(STATE_MACHINE);
            assertThat(r.name()).isEqualTo("orders-db-20261124T093000Z");
            assertThat(json.readValue(r.input(), ReplicationMessage.class))
                    .isEqualTo(json.treeToValue(validMessage(), ReplicationMessage.class));
        });
        assertThat(sns.published).isEmpty();
    }

    @Test
    void optionGroup_shouldBeForwardedAndItsKeyAlwaysPresent_forTheAslPathThatReadsIt() throws Exception {
        // destination-restore reads $.message.optionGroupName: a path to a missing key would fail the execution.
        only(service.start(event(m -> { })));
        only(service.start(event(m -> {
            m.put("replicationId", "orders-db-20261125T093000Z");
            m.put("optionGroupName", "orders-options");
        })));

        JsonNode older = json.readTree(sfn.executions.get(0).input());
        assertThat(older.has("optionGroupName")).as("key of a message from an older source").isTrue();
        assertThat(older.get("optionGroupName").isNull()).isTrue();
        assertThat(json.readTree(sfn.executions.get(1).input()).get("optionGroupName").asText())
                .isEqualTo("orders-options");
    }

    @Test
    void unknownFieldInMessage_shouldBeIgnoredAndNotForwarded() {
        Outcome o = only(service.start(event(m -> m.put("futureField", "x"))));

        assertThat(o.status()).isEqualTo(Status.STARTED);
        assertThat(sfn.executions.get(0).input()).doesNotContain("futureField");
    }

    @Test
    void redeliveredMessage_shouldCountAsDuplicateAndNotStartASecondExecution() {
        service.start(event(m -> { }));
        Outcome o = only(service.start(event(m -> { })));

        assertThat(o.status()).isEqualTo(Status.DUPLICATE);
        assertThat(o.executionArn()).isEqualTo(
                "arn:aws:states:us-east-1:222222222222:execution:destination-restore:orders-db-20261124T093000Z");
        assertThat(sfn.executions).hasSize(1);
        assertThat(sns.published).isEmpty();
    }

    @Test
    void executionAlreadyExistsOnStart_shouldCountAsDuplicateNotFailure() {
        // Two deliveries racing past DescribeExecution, or a finished execution started with other input.
        sfn.failNext = ExecutionAlreadyExistsException.builder().message("Execution Already Exists").build();

        Outcome o = only(service.start(event(m -> { })));

        assertThat(o.status()).isEqualTo(Status.DUPLICATE);
        assertThat(sns.published).isEmpty();
    }

    @Test
    void unknownSchemaVersion_shouldRejectWithAlertAndNoExecution() {
        assertRejected(only(service.start(event(m -> m.put("schemaVersion", 2)))), "schemaVersion 2");
    }

    @Test
    void topicOfAnotherAccount_shouldReject() {
        ObjectNode m = validMessage();
        m.put("sourceAccount", "999999999999");
        m.put("snapshotArn", SNAPSHOT.replace(SOURCE, "999999999999"));

        assertRejected(only(service.start(event(TOPIC.replace(SOURCE, "999999999999"), m.toString()))),
                "not of the configured source account");
    }

    @Test
    void anotherTopicOfTheSourceAccount_shouldRejectLikeAForeignOne() {
        String otherTopic = "arn:aws:sns:us-east-1:" + SOURCE + ":orders-db-notifications";

        Outcome o = only(service.start(event(otherTopic, validMessage().toString())));

        assertRejected(o, "not on the configured source topic " + TOPIC);
        assertThat(o.reason()).contains(otherTopic);
    }

    @Test
    void topicWithTheSourceTopicAsPrefix_shouldReject() {
        assertRejected(only(service.start(event(TOPIC + "-copy", validMessage().toString()))),
                "not on the configured source topic");
    }

    @Test
    void sourceTopicNotConfigured_shouldFailInsteadOfRejecting() {
        when(config.sourceTopicArn()).thenReturn(Optional.of(" "));

        assertThatThrownBy(() -> service.start(event(m -> { }))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_SOURCE_TOPIC_ARN");
        assertThat(sns.published).isEmpty();
    }

    @Test
    void oversizedMessage_shouldBeRejectedWithASmallAlertAndShortLogLines() {
        String huge = "x".repeat(200 * 1024);
        try (LogCapture logs = LogCapture.start()) {
            Outcome o = only(service.start(event(m -> m.put("replicationId", huge))));

            assertRejected(o, "more than the 16384");
            assertThat(o.reason()).doesNotContain("xxxx");
            assertThat(sns.published.get(0).message()).hasSizeLessThan(2048);
            assertThat(logs.entries()).isNotEmpty().allSatisfy(line -> assertThat(line).hasSizeLessThan(2048));
        }
    }

    @Test
    void oversizedTextThatIsNotJson_shouldBeRejectedWithASmallAlert() {
        Outcome o = only(service.start(event(TOPIC, "{" + "y".repeat(200 * 1024))));

        assertRejected(o, "more than the 16384");
        assertThat(sns.published.get(0).message()).hasSizeLessThan(2048);
    }

    @Test
    void longFieldWithinTheSizeLimit_shouldBeEchoedCutWithItsLength() {
        String longName = "a".repeat(10_000);
        try (LogCapture logs = LogCapture.start()) {
            Outcome o = only(service.start(event(m -> m.put("sourceInstance", longName))));

            assertRejected(o, "sourceInstance '" + "a".repeat(256) + "…(10000 chars)'");
            assertThat(sns.published.get(0).message()).hasSizeLessThan(2048);
            assertThat(logs.entries()).isNotEmpty().allSatisfy(line -> assertThat(line).hasSizeLessThan(2048));
        }
    }

    @Test
    void oversizedReplicationIdInAnOtherwiseRejectedMessage_shouldBeCutInTheAlert() {
        String longId = "r".repeat(5_000);

        Outcome o = only(service.start(event(m -> {
            m.put("replicationId", longId);
            m.put("schemaVersion", 9);
        })));

        assertRejected(o, "schemaVersion 9");
        assertThat(o.replicationId()).isEqualTo("r".repeat(256) + "…(5000 chars)");
        assertThat(sns.published.get(0).message()).contains("…(5000 chars)").hasSizeLessThan(2048);
    }

    @Test
    void foreignTopicArnOfHugeLength_shouldBeRejectedWithASmallAlert() {
        String topic = "arn:aws:sns:us-east-1:999999999999:" + "t".repeat(100_000);

        Outcome o = only(service.start(event(topic, validMessage().toString())));

        assertRejected(o, "not of the configured source account");
        assertThat(sns.published.get(0).message()).hasSizeLessThan(2048);
    }

    @Test
    void snapshotInAnotherRegion_shouldReject() {
        assertRejected(only(service.start(event(m -> {
            m.put("snapshotArn", SNAPSHOT.replace("us-east-1", "eu-west-1"));
            m.put("sourceRegion", "eu-west-1");
        }))), "expected us-east-1");
    }

    @Test
    void configuredSourceRegion_shouldBeExpectedInsteadOfOwnRegion() {
        when(config.sourceRegion()).thenReturn(Optional.of("eu-west-1"));

        Outcome o = only(service.start(event(m -> {
            m.put("snapshotArn", SNAPSHOT.replace("us-east-1", "eu-west-1"));
            m.put("sourceRegion", "eu-west-1");
        })));

        assertThat(o.status()).isEqualTo(Status.STARTED);
    }

    @Test
    void messageNotJson_shouldReject() {
        Outcome o = only(service.start(event(TOPIC, "snapshot shared!")));

        assertRejected(o, "not a JSON replication message");
        assertThat(o.replicationId()).isNull();
    }

    @Test
    void throttledStartExecution_shouldThrowSoLambdaRetries() {
        sfn.failNext = (SfnException) FakeRds.error(SfnException.builder(), "ThrottlingException", "Rate exceeded");

        assertThatThrownBy(() -> service.start(event(m -> { }))).isInstanceOf(TransientAwsException.class);
        assertThat(sns.published).isEmpty();
    }

    @Test
    void serviceErrorFromStartExecution_shouldFailAsTransientSoLambdaRetries() {
        SfnException e = (SfnException) SfnException.builder().message("internal").statusCode(500).build();
        sfn.failNext = e;

        assertThatThrownBy(() -> service.start(event(m -> { }))).isInstanceOf(TransientAwsException.class)
                .hasCause(e);
        assertThat(sns.published).isEmpty();
    }

    @Test
    void accessDeniedFromStartExecution_shouldPropagateUnchanged() {
        SfnException e = (SfnException) FakeRds.error(SfnException.builder(), "AccessDeniedException", "denied");
        sfn.failNext = e;

        assertThatThrownBy(() -> service.start(event(m -> { }))).isSameAs(e);
    }

    @Test
    void stateMachineMissing_shouldFailWithConfigurationException() {
        sfn.failNext = (SfnException) FakeRds.error(StateMachineDoesNotExistException.builder(),
                "StateMachineDoesNotExist", "State Machine Does Not Exist");

        assertThatThrownBy(() -> service.start(event(m -> { }))).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void sourceAccountNotConfigured_shouldFailInsteadOfRejecting() {
        when(config.sourceAccountId()).thenReturn(Optional.empty());

        assertThatThrownBy(() -> service.start(event(m -> { }))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_SOURCE_ACCOUNT_ID");
        assertThat(sfn.executions).isEmpty();
        assertThat(sns.published).isEmpty();
    }

    @Test
    void alertCannotBePublished_shouldFailTheInvocationSoTheRejectionIsNotLost() {
        sns.failNext = SnsException.builder().message("unavailable").statusCode(500).build();

        assertThatThrownBy(() -> service.start(event(m -> m.put("schemaVersion", 9))))
                .isInstanceOf(SnsException.class);
        assertThat(sfn.executions).isEmpty();
    }

    @Test
    void sampleEvent_shouldBeValid() throws Exception {
        SnsEvent e = json.readValue(EventFiles.read("start-restore.json"), SnsEvent.class);

        assertThat(only(service.start(e)).status()).isEqualTo(Status.STARTED);
    }

    @ParameterizedTest
    @CsvSource({
            "start-restore-unknown-version.json, schemaVersion 2",
            "start-restore-foreign-account.json, not of the configured source account",
            "start-restore-foreign-topic.json, not on the configured source topic",
            "start-restore-foreign-snapshot.json, owned by account 999999999999",
            "start-restore-missing-fields.json, 'required fields missing: sourceInstance, snapshotArn'" })
    void negativeSampleEvents_shouldBeRejectedForTheirReason(String file, String reason) throws Exception {
        SnsEvent e = json.readValue(EventFiles.read(file), SnsEvent.class);

        assertRejected(only(service.start(e)), reason);
    }

    @Test
    void clusterMessage_shouldBeForwardedWithItsFields() throws Exception {
        only(service.start(event(m -> {
            m.putNull("sourceInstance");
            m.put("sourceCluster", "ledger");
            m.put("engine", "aurora-postgresql");
            m.put("engineMode", "serverless-v2");
            m.put("snapshotArn", SNAPSHOT.replace(":snapshot:", ":cluster-snapshot:"));
        })));

        JsonNode input = json.readTree(sfn.executions.get(0).input());
        assertThat(input.get("sourceCluster").asText()).isEqualTo("ledger");
        assertThat(input.get("engineMode").asText()).as("the ASL's cluster path reads it").isEqualTo("serverless-v2");
        assertThat(input.get("snapshotArn").asText()).contains(":cluster-snapshot:");
    }

    @Test
    void clusterMessage_withoutEngineMode_shouldBeRejected_andStartNothing() throws Exception {
        assertRejected(only(service.start(event(m -> {
            m.putNull("sourceInstance");
            m.put("sourceCluster", "ledger");
            m.put("engine", "aurora-postgresql");
            m.put("snapshotArn", SNAPSHOT.replace(":snapshot:", ":cluster-snapshot:"));
        }))), "required fields missing: engineMode");
        assertThat(sfn.executions).isEmpty();
    }
}
