package org.rdsreplicator.notifydestination;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.MotoRds;
import org.rdsreplicator.common.testing.MotoResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Posts the events/ samples through the mock event server; AWS is moto. An SQS queue subscribed to the
 * replication topic receives what the function published (SNS envelope, not raw delivery).
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ReplicationTopicResource.class, restrictToAnnotatedClass = true)
class NotifyDestinationFunctionTest {
    static final String COPY_ID = "orders-db-20261124t093000z-4469ce-share";
    static final String REPLICATION_ID = "orders-db-20261124T093000Z";
    static final String STACK_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    final ObjectMapper json = new ObjectMapper();
    String queueUrl;
    DBSnapshot copy;

    @BeforeEach
    void sharedCopyAndSubscribedQueue() {
        MotoResource.reset();
        try (RdsClient rds = MotoResource.rds()) {
            // moto takes the snapshot's key from the instance (it does not check the key exists).
            MotoRds.instance(rds, "orders-db", r -> r.storageEncrypted(true).kmsKeyId(STACK_KEY));
            copy = rds.createDBSnapshot(r -> r.dbInstanceIdentifier("orders-db").dbSnapshotIdentifier(COPY_ID)
                    .tags(Tags.managed(REPLICATION_ID, "orders-db", "shareable-copy"))).dbSnapshot();
        }
        try (SnsClient sns = client(SnsClient.builder()); SqsClient sqs = client(SqsClient.builder())) {
            String topicArn = sns.createTopic(r -> r.name(ReplicationTopicResource.TOPIC_NAME)).topicArn();
            assertThat(topicArn).isEqualTo(ReplicationTopicResource.TOPIC_ARN);
            queueUrl = sqs.createQueue(r -> r.queueName("destination-inbox")).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        }
    }

    @Test
    void sampleEvent_shouldPublishTheReplicationMessageWithItsAttributes() throws Exception {
        JsonPath out = given().contentType("application/json").body(EventFiles.read("notify-destination.json"))
                .when().post()
                .then().statusCode(200)
                .body("messageId", not(emptyOrNullString()))
                .body("message.schemaVersion", equalTo(1))
                .body("message.sourceAccount", equalTo("123456789012"))
                .body("message.sourceRegion", equalTo("us-east-1"))
                .extract().jsonPath();

        Message received = awaitOneMessage();
        JsonNode envelope = json.readTree(received.body());
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(ReplicationTopicResource.TOPIC_ARN);
        assertThat(envelope.get("MessageId").asText()).isEqualTo(out.getString("messageId"));

        JsonNode m = json.readTree(envelope.get("Message").asText());
        assertThat(m.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(m.get("replicationId").asText()).isEqualTo(REPLICATION_ID);
        assertThat(m.get("sourceAccount").asText()).isEqualTo("123456789012");
        assertThat(m.get("sourceRegion").asText()).isEqualTo("us-east-1");
        assertThat(m.get("sourceInstance").asText()).isEqualTo("orders-db");
        assertThat(m.get("engine").asText()).isEqualTo("postgres");
        assertThat(m.get("engineVersion").asText()).isEqualTo(copy.engineVersion()).isNotBlank();
        assertThat(m.get("snapshotArn").asText()).isEqualTo("arn:aws:rds:us-east-1:123456789012:snapshot:" + COPY_ID);
        assertThat(m.get("kmsKeyArn").asText()).isEqualTo(STACK_KEY);
        assertThat(m.get("createdAt").asText()).isEqualTo(copy.snapshotCreateTime().toString());

        JsonNode attrs = envelope.get("MessageAttributes");
        assertThat(attrs.get("schemaVersion").get("Type").asText()).isEqualTo("Number");
        assertThat(attrs.get("schemaVersion").get("Value").asText()).isEqualTo("1");
        assertThat(attrs.get("sourceAccount").get("Type").asText()).isEqualTo("String");
        assertThat(attrs.get("sourceAccount").get("Value").asText()).isEqualTo("123456789012");
        assertThat(attrs.get("sourceInstance").get("Type").asText()).isEqualTo("String");
        assertThat(attrs.get("sourceInstance").get("Value").asText()).isEqualTo("orders-db");
        assertThat(attrs.get("event").get("Type").asText()).isEqualTo("String");
        assertThat(attrs.get("event").get("Value").asText()).isEqualTo("snapshot-shared");
    }

    @Test
    void unknownSnapshot_shouldReportSnapshotNotFoundAndPublishNothing() {
        given().contentType("application/json").body(EventFiles.read("notify-destination-unknown-snapshot.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(SnapshotNotFoundException.class.getName()));

        assertThat(receive()).isEmpty();
    }

    @Test
    void snapshotIdentifierInsteadOfArn_shouldReportInvalidInputException() {
        given().contentType("application/json").body(EventFiles.read("notify-destination-bad-arn.json"))
                .when().post()
                .then().statusCode(500).body("errorType", equalTo(InvalidInputException.class.getName()));

        assertThat(receive()).isEmpty();
    }

    private Message awaitOneMessage() {
        AtomicReference<List<Message>> got = new AtomicReference<>(List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.set(receive());
            return !got.get().isEmpty();
        });
        assertThat(got.get()).hasSize(1);
        return got.get().get(0);
    }

    private List<Message> receive() {
        try (SqsClient sqs = client(SqsClient.builder())) {
            return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
        }
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(URI.create(MotoResource.endpoint())).region(Region.of(MotoResource.REGION))
                .credentialsProvider(MotoResource.creds()).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
