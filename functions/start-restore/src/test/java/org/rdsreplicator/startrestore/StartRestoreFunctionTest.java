package org.rdsreplicator.startrestore;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Posts the events/ samples through the mock event server. AWS is moto (account 123456789012): the
 * destination-restore state machine is a Pass state, the alerts topic delivers to an SQS queue.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class StartRestoreFunctionTest {
    static final String STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:destination-restore";
    static final String REPLICATION_ID = "orders-db-20261124T093000Z";

    String alertQueueUrl;

    @BeforeEach
    void destinationAccount() {
        MotoResource.reset();
        try (SfnClient sfn = sfn()) {
            String arn = sfn.createStateMachine(r -> r.name("destination-restore")
                    .roleArn("arn:aws:iam::123456789012:role/x")
                    .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Pass\",\"End\":true}}}"))
                    .stateMachineArn();
            assertThat(arn).isEqualTo(STATE_MACHINE);
        }
        try (SnsClient sns = sns(); SqsClient sqs = sqs()) {
            String topic = sns.createTopic(r -> r.name("rds-replicator-alerts")).topicArn();
            alertQueueUrl = sqs.createQueue(r -> r.queueName("alerts")).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(alertQueueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn)
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }
    }

    @Test
    void sampleEventDeliveredTwice_shouldStartExactlyOneExecution() {
        given().contentType("application/json").body(EventFiles.read("start-restore.json"))
                .when().post()
                .then().statusCode(200)
                .body("outcomes[0].status", equalTo("STARTED"))
                .body("outcomes[0].replicationId", equalTo(REPLICATION_ID))
                .body("outcomes[0].executionArn", endsWith(":execution:destination-restore:" + REPLICATION_ID));

        given().contentType("application/json").body(EventFiles.read("start-restore.json"))
                .when().post()
                .then().statusCode(200)
                .body("outcomes[0].status", equalTo("DUPLICATE"))
                .body("outcomes[0].reason", nullValue());

        try (SfnClient sfn = sfn()) {
            List<ExecutionListItem> executions = sfn.listExecutions(r -> r.stateMachineArn(STATE_MACHINE)).executions();
            assertThat(executions).singleElement().satisfies(e -> assertThat(e.name()).isEqualTo(REPLICATION_ID));
            String input = sfn.describeExecution(r -> r.executionArn(executions.get(0).executionArn())).input();
            assertThat(input).contains("\"snapshotArn\":\"arn:aws:rds:us-east-1:111111111111:snapshot:"
                    + "orders-db-20261124t093000z-4469ce-share\"").contains("\"schemaVersion\":1")
                    // The application's mapper writes absent fields as null: destination-restore reads this path.
                    .contains("\"optionGroupName\":null");
        }
        assertThat(alerts()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "start-restore-unknown-version.json, schemaVersion 2 is not supported",
            "start-restore-foreign-account.json, not of the configured source account 111111111111",
            "start-restore-foreign-topic.json, not on the configured source topic",
            "start-restore-foreign-snapshot.json, is owned by account 999999999999",
            "start-restore-missing-fields.json, required fields missing" })
    void invalidMessage_shouldBeRejectedWithAlertAndNoExecution(String file, String reason) {
        given().contentType("application/json").body(EventFiles.read(file))
                .when().post()
                .then().statusCode(200)
                .body("outcomes[0].status", equalTo("REJECTED"))
                .body("outcomes[0].reason", containsString(reason))
                .body("outcomes[0].executionArn", nullValue());

        try (SfnClient sfn = sfn()) {
            assertThat(sfn.listExecutions(r -> r.stateMachineArn(STATE_MACHINE)).executions()).isEmpty();
        }
        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            received.addAll(alerts());
            return !received.isEmpty();
        });
        assertThat(received).singleElement().satisfies(m -> assertThat(m.body())
                .contains("replication-message-rejected").contains(reason));
    }

    @Test
    void stateMachineMissing_shouldFailTheInvocationSoLambdaRetries() {
        try (SfnClient sfn = sfn()) {
            sfn.deleteStateMachine(r -> r.stateMachineArn(STATE_MACHINE));
        }

        given().contentType("application/json").body(EventFiles.read("start-restore.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(ConfigurationException.class.getName()));
    }

    List<Message> alerts() {
        try (SqsClient sqs = sqs()) {
            return sqs.receiveMessage(r -> r.queueUrl(alertQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
        }
    }

    static SfnClient sfn() {
        return SfnClient.builder().endpointOverride(URI.create(MotoResource.endpoint()))
                .region(Region.of(MotoResource.REGION)).credentialsProvider(MotoResource.creds())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SnsClient sns() {
        return SnsClient.builder().endpointOverride(URI.create(MotoResource.endpoint()))
                .region(Region.of(MotoResource.REGION)).credentialsProvider(MotoResource.creds())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(URI.create(MotoResource.endpoint()))
                .region(Region.of(MotoResource.REGION)).credentialsProvider(MotoResource.creds())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
