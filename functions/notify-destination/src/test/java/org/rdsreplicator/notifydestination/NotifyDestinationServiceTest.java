package org.rdsreplicator.notifydestination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.InvalidMessageException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.testing.FakeRds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

class NotifyDestinationServiceTest {
    static final String TOPIC = "arn:aws:sns:eu-west-1:111111111111:rds-replicator-replication";
    static final String CMK = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String COPY_ID = "orders-db-20261124t093000z-3f2a1b-share";

    FakeRds rds;
    SnsClient sns;
    ObjectMapper json = new ObjectMapper();
    FakeRds.Snap copy;

    @BeforeEach
    void setUp() {
        rds = new FakeRds();
        sns = mock(SnsClient.class);
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("msg-1").build());
        copy = rds.addSnapshot(COPY_ID, "orders-db", "available");
        copy.encrypted = true;
        copy.kmsKeyId = CMK;
        copy.engine = "postgres";
        copy.engineVersion = "16.4";
        copy.created = Instant.parse("2026-11-24T09:41:07Z");
        copy.tags.addAll(Tags.managed("run-1", "orders-db", "shareable-copy"));
    }

    NotifyDestinationService service(String topic) {
        return new NotifyDestinationService(new RdsResources(rds), sns, json, () -> Optional.ofNullable(topic));
    }

    NotifyRequest req() {
        return new NotifyRequest("run-1", copy.arn, "orders-db");
    }

    PublishRequest published() {
        ArgumentCaptor<PublishRequest> c = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(c.capture());
        return c.getValue();
    }

    @Test
    void sharedCopy_shouldPublishACompleteVersionedMessage() throws Exception {
        NotifyResult result = service(TOPIC).notify(req());

        ReplicationMessage m = result.message();
        assertThat(result.messageId()).isEqualTo("msg-1");
        assertThat(m.schemaVersion()).isEqualTo(ReplicationMessage.CURRENT_SCHEMA_VERSION);
        assertThat(m.replicationId()).isEqualTo("run-1");
        assertThat(m.sourceAccount()).isEqualTo(FakeRds.ACCOUNT);
        assertThat(m.sourceRegion()).isEqualTo(FakeRds.REGION);
        assertThat(m.sourceInstance()).isEqualTo("orders-db");
        assertThat(m.engine()).isEqualTo("postgres");
        assertThat(m.engineVersion()).isEqualTo("16.4");
        assertThat(m.snapshotArn()).isEqualTo(copy.arn);
        assertThat(m.kmsKeyArn()).isEqualTo(CMK);
        assertThat(m.createdAt()).isEqualTo("2026-11-24T09:41:07Z");
        assertThat(m.optionGroupName()).isEqualTo(copy.optionGroup).isNotBlank();

        PublishRequest p = published();
        assertThat(p.topicArn()).isEqualTo(TOPIC);
        assertThat(json.readValue(p.message(), ReplicationMessage.class)).isEqualTo(m);
    }

    @Test
    void publishedJson_shouldUseTheFieldNamesStartRestoreReads() throws Exception {
        service(TOPIC).notify(req());

        JsonNode body = json.readTree(published().message());
        assertThat(body.get("schemaVersion").isInt()).isTrue();
        assertThat(body.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(body.get("sourceAccount").asText()).isEqualTo("111111111111");
        assertThat(body.get("sourceRegion").asText()).isEqualTo("eu-west-1");
        assertThat(body.get("kmsKeyArn").asText()).isEqualTo(CMK);
        assertThat(body.get("snapshotArn").asText()).isEqualTo(copy.arn);
    }

    @Test
    void messageAttributes_shouldCarryVersionAccountInstanceAndEvent() {
        service(TOPIC).notify(req());

        var attrs = published().messageAttributes();
        assertThat(attrs).containsOnlyKeys("schemaVersion", "sourceAccount", "sourceInstance", "event");
        assertThat(attrs.get("schemaVersion").dataType()).isEqualTo("Number");
        assertThat(attrs.get("schemaVersion").stringValue()).isEqualTo("1");
        assertThat(attrs.get("sourceAccount").dataType()).isEqualTo("String");
        assertThat(attrs.get("sourceAccount").stringValue()).isEqualTo(FakeRds.ACCOUNT);
        assertThat(attrs.get("sourceInstance").dataType()).isEqualTo("String");
        assertThat(attrs.get("sourceInstance").stringValue()).isEqualTo("orders-db");
        assertThat(attrs.get("event").dataType()).isEqualTo("String");
        assertThat(attrs.get("event").stringValue()).isEqualTo("snapshot-shared");
    }

    @Test
    void noSourceInstanceGiven_shouldUseTheSnapshotsInstance() {
        NotifyResult r = service(TOPIC).notify(new NotifyRequest("run-1", copy.arn, null));

        assertThat(r.message().sourceInstance()).isEqualTo("orders-db");
        assertThat(published().messageAttributes().get("sourceInstance").stringValue()).isEqualTo("orders-db");
    }

    @Test
    void accountAndRegion_shouldComeFromTheArnWhateverTheRegionNameLength() {
        FakeRds.Snap other = rds.addSnapshot("far-away-copy", "orders-db", "available");
        other.arn = "arn:aws:rds:ap-southeast-2:210987654321:snapshot:far-away-copy";
        other.encrypted = true;
        other.kmsKeyId = CMK;

        ReplicationMessage m = service(TOPIC).notify(new NotifyRequest("run-1", other.arn, "orders-db")).message();

        assertThat(m.sourceAccount()).isEqualTo("210987654321");
        assertThat(m.sourceRegion()).isEqualTo("ap-southeast-2");
    }

    @Test
    void unencryptedSnapshot_shouldNotBeAnnounced() {
        copy.encrypted = false;
        copy.kmsKeyId = null;

        assertThatThrownBy(() -> service(TOPIC).notify(req())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not encrypted");
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void messageTheDestinationWouldReject_shouldNotBePublished() {
        copy.kmsKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab"; // a key id, not the key ARN start-restore requires

        assertThatThrownBy(() -> service(TOPIC).notify(req())).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("kmsKeyArn");
        copy.kmsKeyId = CMK;
        copy.engine = null;
        assertThatThrownBy(() -> service(TOPIC).notify(req())).isInstanceOf(InvalidMessageException.class)
                .hasMessage("required fields missing: engine");
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void snapshotNotAvailable_shouldFailBusyWithoutPublishing() {
        copy.status = "copying";

        assertThatThrownBy(() -> service(TOPIC).notify(req())).isInstanceOf(ResourceBusyException.class);
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void missingSnapshot_shouldFailWithSnapshotNotFound() {
        assertThatThrownBy(() -> service(TOPIC).notify(new NotifyRequest("run-1", copy.arn.replace(COPY_ID, "gone"),
                "orders-db"))).isInstanceOf(SnapshotNotFoundException.class);
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void missingOrWrongTopicSetting_shouldFailWithConfigurationBeforeAnyCall() {
        assertThatThrownBy(() -> service(null).notify(req())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_REPLICATION_TOPIC_ARN");
        assertThatThrownBy(() -> service("rds-replicator-replication").notify(req()))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> service(CMK).notify(req())).isInstanceOf(ConfigurationException.class);
        assertThat(rds.calls("describeDBSnapshots")).isZero();
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void badInput_shouldFailWithInvalidInputWithoutPublishing() {
        assertThatThrownBy(() -> service(TOPIC).notify(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service(TOPIC).notify(new NotifyRequest("run-1", null, "orders-db")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service(TOPIC).notify(new NotifyRequest("run-1", COPY_ID, "orders-db")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service(TOPIC).notify(new NotifyRequest("run 1!", copy.arn, "orders-db")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("replicationId");
        assertThatThrownBy(() -> service(TOPIC).notify(new NotifyRequest("run-1", copy.arn, "bad--name")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sourceInstance");
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void snsThrottling_shouldFailWithThrottled() {
        when(sns.publish(any(PublishRequest.class))).thenThrow(
                software.amazon.awssdk.services.sns.model.ThrottledException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttled").errorMessage("Rate exceeded")
                                .build())
                        .build());

        assertThatThrownBy(() -> service(TOPIC).notify(req())).isInstanceOf(TransientAwsException.class);
    }

    @Test
    void topicGone_shouldFailWithConfiguration() {
        when(sns.publish(any(PublishRequest.class))).thenThrow(NotFoundException.builder().statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFound").errorMessage("Topic does not exist")
                        .build())
                .build());

        assertThatThrownBy(() -> service(TOPIC).notify(req())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(TOPIC);
    }

    @Test
    void realRunsMessage_shouldCarryNoDryRunField() throws Exception {
        service(TOPIC).notify(req());

        assertThat(json.readTree(published().message()).has("dryRun")).isFalse();
    }

    @Test
    void dryRunMessage_shouldBePublishedAsPlannedMarkedDryRun_withoutDescribingAnySnapshot() throws Exception {
        String planned = copy.arn.replace(COPY_ID, "orders-db-20261124t093000z-4469ce-share");
        ReplicationMessage m = new ReplicationMessage(1, "run-1", FakeRds.ACCOUNT, FakeRds.REGION, "orders-db",
                "postgres", "16.4", planned, CMK, "2026-11-24T09:30:00Z", null, true);
        int describes = rds.calls("describeDBSnapshots");

        NotifyResult r = service(TOPIC).notify(new NotifyRequest("run-1", null, null, m));

        assertThat(r.message()).isEqualTo(m);
        PublishRequest p = published();
        assertThat(json.readTree(p.message()).get("dryRun").asBoolean()).isTrue();
        assertThat(json.readValue(p.message(), ReplicationMessage.class)).isEqualTo(m);
        assertThat(p.messageAttributes().get("event").stringValue()).isEqualTo("dry-run");
        assertThat(rds.calls("describeDBSnapshots")).isEqualTo(describes);
    }

    @Test
    void dryRunMessageWithoutTheMarkerOrForAnotherRun_shouldBeRefusedUnpublished() {
        ReplicationMessage unmarked = new ReplicationMessage(1, "run-1", FakeRds.ACCOUNT, FakeRds.REGION, "orders-db",
                "postgres", "16.4", copy.arn, CMK, "2026-11-24T09:30:00Z");
        assertThatThrownBy(() -> service(TOPIC).notify(new NotifyRequest("run-1", null, null, unmarked)))
                .isInstanceOf(InvalidInputException.class);
        ReplicationMessage other = new ReplicationMessage(1, "run-2", FakeRds.ACCOUNT, FakeRds.REGION, "orders-db",
                "postgres", "16.4", copy.arn, CMK, "2026-11-24T09:30:00Z", null, true);
        assertThatThrownBy(() -> service(TOPIC).notify(new NotifyRequest("run-1", null, null, other)))
                .isInstanceOf(InvalidInputException.class);
        verify(sns, org.mockito.Mockito.never()).publish(org.mockito.ArgumentMatchers.any(PublishRequest.class));
    }
}
