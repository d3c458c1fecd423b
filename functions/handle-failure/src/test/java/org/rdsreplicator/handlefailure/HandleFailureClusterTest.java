package org.rdsreplicator.handlefailure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.StepFailure;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.InMemoryPromotionLock;
import org.rdsreplicator.common.testing.RecordingSns;
import org.rdsreplicator.common.testing.WaitHarness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The source failure path of an Aurora cluster's run: the run's own cluster snapshots go, nothing else. */
class HandleFailureClusterTest {
    static final String RUN = "ledger-20261124T093000Z";
    static final String OTHER_RUN = "ledger-20261123T093000Z";

    WaitHarness h;
    RecordingSns sns;
    ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        sns = new RecordingSns();
    }

    HandleFailureService sourceSide() {
        return new HandleFailureService(h.managed, sns, new FakeSecrets().store(null), h.waits,
                HandleFailureServiceTest.config(HandleFailureServiceTest.TOPIC, null), json, new InMemoryPromotionLock());
    }

    void clusterSnapshot(String id, String run, String kind) {
        h.rds.addClusterSnapshot(id, "ledger", "available", Instant.parse("2026-11-24T09:31:00Z"),
                run == null ? List.of() : Tags.managedCluster(run, "ledger", kind));
    }

    @Test
    void failedClusterCopy_shouldDeleteTheRunsClusterSnapshots_only() throws Exception {
        clusterSnapshot("ledger-run", RUN, Tags.KIND_SOURCE_SNAPSHOT);
        clusterSnapshot("ledger-run-share", RUN, Tags.KIND_SHAREABLE_COPY);
        clusterSnapshot("ledger-older-share", OTHER_RUN, Tags.KIND_SHAREABLE_COPY);
        clusterSnapshot("ledger-by-hand", null, null);

        FailureReport r = sourceSide().handle(new FailureRequest(RUN, "Copy cluster snapshot",
                new StepFailure("org.rdsreplicator.common.errors.KmsKeyNotUsableException", "key disabled"),
                "arn:aws:states:eu-west-1:111111111111:execution:source-replication:" + RUN));

        assertThat(h.rds.clusterSnapshots).containsOnlyKeys("ledger-older-share", "ledger-by-hand");
        assertThat(r.deleted()).hasSize(2).allMatch(a -> a.contains(":cluster-snapshot:ledger-run"));
        JsonNode alert = json.readTree(sns.published.get(0).message());
        assertThat(alert.path("failedStep").asText()).isEqualTo("Copy cluster snapshot");
        assertThat(alert.path("deleted").toString()).contains("ledger-run-share");
    }

    @Test
    void clusterStepNames_shouldBeSourceSteps() {
        for (String step : List.of("Check source cluster", "Create cluster snapshot", "Copy cluster snapshot",
                "Share cluster snapshot", "Notify destination of cluster", "Dry run: check source cluster")) {
            assertThat(HandleFailureService.sideOf(step, true)).as(step)
                    .contains(org.rdsreplicator.common.rds.Side.SOURCE);
        }
    }
}
