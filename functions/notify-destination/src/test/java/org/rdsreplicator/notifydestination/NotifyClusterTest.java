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
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.InvalidMessageException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.testing.FakeRds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/** notify-destination with a cluster-snapshot ARN: the message names sourceCluster and engineMode. */
class NotifyClusterTest {
    static final String TOPIC = NotifyDestinationServiceTest.TOPIC;
    static final String CMK = NotifyDestinationServiceTest.CMK;
    static final String COPY_ID = "ledger-20261124t093000z-3f2a1b-share";
    static final String COPY_ARN = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster-snapshot:"
            + COPY_ID;

    FakeRds rds;
    SnsClient sns;
    ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        rds = new FakeRds();
        sns = mock(SnsClient.class);
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("msg-1").build());
        rds.addClusterSnapshot(COPY_ID, "ledger", "available", Instant.parse("2026-11-24T09:41:07Z"),
                Tags.managedCluster("run-1", "ledger", Tags.KIND_SHAREABLE_COPY));
        rds.clusterSnapshots.put(COPY_ID, rds.clusterSnapshots.get(COPY_ID).toBuilder().kmsKeyId(CMK).build());
    }

    NotifyDestinationService service() {
        return new NotifyDestinationService(new RdsResources(rds), sns, json, () -> Optional.of(TOPIC));
    }

    PublishRequest published() {
        ArgumentCaptor<PublishRequest> c = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(c.capture());
        return c.getValue();
    }

    @Test
    void sharedClusterCopy_shouldBeAnnouncedWithSourceClusterAndEngineMode() throws Exception {
        NotifyResult r = service().notify(new NotifyRequest("run-1", COPY_ARN, null, null, "ledger", "serverless-v2"));

        JsonNode body = json.readTree(published().message());
        assertThat(body.path("sourceCluster").asText()).isEqualTo("ledger");
        assertThat(body.path("engineMode").asText()).isEqualTo("serverless-v2");
        assertThat(body.path("snapshotArn").asText()).isEqualTo(COPY_ARN);
        assertThat(body.path("sourceInstance").isNull()).isTrue();
        assertThat(body.path("engine").asText()).isEqualTo("aurora-postgresql");
        assertThat(body.path("kmsKeyArn").asText()).isEqualTo(CMK);
        assertThat(body.path("createdAt").asText()).isEqualTo("2026-11-24T09:41:07Z");
        assertThat(published().messageAttributes()).containsKey(ReplicationMessage.ATTR_SOURCE_CLUSTER)
                .doesNotContainKey(ReplicationMessage.ATTR_SOURCE_INSTANCE);
        assertThat(published().messageAttributes().get(ReplicationMessage.ATTR_SOURCE_CLUSTER).stringValue())
                .isEqualTo("ledger");
        assertThat(r.message().announcesCluster()).isTrue();
    }

    @Test
    void missingEngineMode_orAnInstanceNameWithAClusterSnapshot_shouldPublishNothing() {
        assertThatThrownBy(() -> service().notify(new NotifyRequest("run-1", COPY_ARN, null, null, "ledger", null)))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("engineMode");
        assertThatThrownBy(() -> service().notify(new NotifyRequest("run-1", COPY_ARN, "orders-db", null, null,
                "provisioned"))).isInstanceOf(InvalidInputException.class);
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void unfinishedOrUnencryptedCopy_shouldPublishNothing() {
        rds.settleClusterSnapshot(COPY_ID, "copying");
        assertThatThrownBy(() -> service().notify(new NotifyRequest("run-1", COPY_ARN, null, null, "ledger",
                "provisioned"))).isInstanceOf(ResourceBusyException.class);
        rds.clusterSnapshots.put(COPY_ID, rds.clusterSnapshots.get(COPY_ID).toBuilder().status("available")
                .storageEncrypted(false).build());
        assertThatThrownBy(() -> service().notify(new NotifyRequest("run-1", COPY_ARN, null, null, "ledger",
                "provisioned"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("not encrypted");
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void clusterDryRunMessage_shouldBePublishedAsPlanned() throws Exception {
        ReplicationMessage planned = ReplicationMessage.ofCluster("run-1", FakeRds.ACCOUNT, FakeRds.REGION, "ledger",
                "provisioned", "aurora-postgresql", "16.4", COPY_ARN, CMK, "2026-11-24T09:30:00Z", true);

        service().notify(new NotifyRequest("run-1", null, null, planned));

        JsonNode body = json.readTree(published().message());
        assertThat(body.path("dryRun").asBoolean()).isTrue();
        assertThat(body.path("sourceCluster").asText()).isEqualTo("ledger");
    }
}
