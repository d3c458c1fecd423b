package org.rdsreplicator.handlefailure;

import org.rdsreplicator.common.testing.RecordingSns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.AlertNotPublishedException;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.Side;
import org.rdsreplicator.common.records.StepFailure;
import org.rdsreplicator.common.testing.EventFiles;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.WaitHarness;
import org.rdsreplicator.common.testing.InMemoryPromotionLock;
import org.rdsreplicator.common.testing.LogCapture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.rds.model.InvalidDbSnapshotStateException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;

class HandleFailureServiceTest {
    static final String RUN = "orders-db-20261124T093000Z";
    static final String OTHER_RUN = "orders-db-20261123T093000Z";
    static final String TOPIC = "arn:aws:sns:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":replicator-alerts";
    static final String PASSWORD = "very-secret-password-42";

    WaitHarness h;
    RecordingSns sns;
    FakeSecrets secrets;
    InMemoryPromotionLock lock = new InMemoryPromotionLock();
    ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        sns = new RecordingSns();
        secrets = new FakeSecrets();
    }

    /** The function's settings; a null value is an unset variable. */
    static HandleFailureConfig config(String alertsTopicArn, String secretArn) {
        return new HandleFailureConfig() {
            @Override
            public Optional<String> alertsTopicArn() {
                return Optional.ofNullable(alertsTopicArn);
            }

            @Override
            public Optional<String> secretArn() {
                return Optional.ofNullable(secretArn);
            }
        };
    }

    /** Source side: no secret configured. */
    HandleFailureService sourceSide() {
        return new HandleFailureService(h.managed, sns, secrets.store(null), h.waits, config(TOPIC, null), json, lock);
    }

    /** Destination side: the secret names {@code currentInstance}. */
    HandleFailureService destinationSide(String currentInstance) {
        secrets.create(FakeSecrets.ARN, "{\"engine\":\"postgres\",\"host\":\"" + currentInstance
                + ".abc.rds.example\",\"port\":5432,\"username\":\"app\",\"password\":\"" + PASSWORD
                + "\",\"dbname\":\"orders\",\"dbInstanceIdentifier\":\"" + currentInstance + "\"}");
        return new HandleFailureService(h.managed, sns, secrets.store(FakeSecrets.ARN), h.waits,
                config(TOPIC, FakeSecrets.ARN), json, lock);
    }

    /** A failure of the destination workflow. */
    static FailureRequest request(String replicationId) {
        return new FailureRequest(replicationId, "Restore instance",
                new StepFailure("org.rdsreplicator.common.errors.ResourceFailedException",
                        "arn:aws:rds:eu-west-1:111111111111:db:orders-db-20261124t093000z ended in status incompatible-restore"),
                "arn:aws:states:eu-west-1:111111111111:execution:destination-restore:" + replicationId);
    }

    /** A failure of the source workflow. */
    static FailureRequest sourceRequest(String replicationId) {
        return new FailureRequest(replicationId, "Copy snapshot",
                new StepFailure("org.rdsreplicator.common.errors.KmsKeyNotUsableException", "key disabled"),
                "arn:aws:states:eu-west-1:111111111111:execution:source-replication:" + replicationId);
    }

    /** A destination-side snapshot ({@code local-copy}); unmanaged when {@code replicationId} is null. */
    FakeRds.Snap snapshot(String id, String replicationId) {
        return snapshot(id, replicationId, Tags.KIND_LOCAL_COPY);
    }

    FakeRds.Snap snapshot(String id, String replicationId, String kind) {
        FakeRds.Snap s = h.rds.addSnapshot(id, "orders-db", "available");
        if (replicationId != null) {
            s.tags.addAll(Tags.managed(replicationId, "orders-db", kind));
        }
        return s;
    }

    /** A source-side snapshot ({@code shareable-copy}). */
    FakeRds.Snap sourceCopy(String id, String replicationId) {
        return snapshot(id, replicationId, Tags.KIND_SHAREABLE_COPY);
    }

    FakeRds.Inst instance(String id, String replicationId) {
        FakeRds.Inst i = h.rds.addInstance(id, "available");
        if (replicationId != null) {
            i.tags.addAll(Tags.managed(replicationId, "orders-db", null));
        }
        return i;
    }

    JsonNode alert() throws Exception {
        assertThat(sns.published).hasSize(1);
        return json.readTree(sns.published.get(0).message());
    }

    // ---- snapshots -----------------------------------------------------------------------------

    @Test
    void managedSnapshotOfThisReplication_shouldBeDeletedAndItsWaitReleased() throws Exception {
        FakeRds.Snap mine = sourceCopy("orders-db-20261124t093000z-5b1e0c", RUN);
        h.waits.register(mine.arn, "token-1", RUN, "copy-snapshot");

        FailureReport report = sourceSide().handle(sourceRequest(RUN));

        assertThat(report.deleted()).containsExactly(mine.arn);
        assertThat(h.rds.snapshots).doesNotContainKey(mine.id);
        assertThat(h.waits.items).isEmpty();
        assertThat(report.alertMessageId()).isEqualTo("msg-1");
        assertThat(report.replicationId()).isEqualTo(RUN);
        assertThat(report.failedStep()).isEqualTo("Copy snapshot");
    }

    @Test
    void unmanagedSnapshot_shouldNeverBeDeleted() {
        snapshot("orders-db-manual-backup", null);
        // Carries this replication's id, but not the managed-by tag: someone else's.
        FakeRds.Snap lookalike = snapshot("orders-db-lookalike", null);
        lookalike.tags.add(Tags.tag(Tags.REPLICATION_ID, RUN));
        // managed-by with another value
        FakeRds.Snap otherTool = snapshot("orders-db-other-tool", null);
        otherTool.tags.add(Tags.tag(Tags.MANAGED_BY, "someone-else"));
        otherTool.tags.add(Tags.tag(Tags.REPLICATION_ID, RUN));

        FailureReport report = sourceSide().handle(sourceRequest(RUN));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.snapshots).containsKeys("orders-db-manual-backup", "orders-db-lookalike", "orders-db-other-tool");
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
    }

    @Test
    void snapshotOfAnotherReplication_shouldNeverBeDeleted() {
        FakeRds.Snap other = sourceCopy("orders-db-20261123t093000z-aaaaaa", OTHER_RUN);
        h.waits.register(other.arn, "token-other", OTHER_RUN, "copy-snapshot");
        FakeRds.Snap mine = sourceCopy("orders-db-20261124t093000z-5b1e0c", RUN);

        FailureReport report = sourceSide().handle(sourceRequest(RUN));

        assertThat(report.deleted()).containsExactly(mine.arn);
        assertThat(h.rds.snapshots).containsKey(other.id);
        assertThat(h.waits.items).containsKey(other.arn);
    }

    @Test
    void snapshotAlreadyDeleting_shouldBeSkipped() {
        sourceCopy("orders-db-20261124t093000z-5b1e0c", RUN).status = "deleting";

        FailureReport report = sourceSide().handle(sourceRequest(RUN));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
    }

    @Test
    void failedSnapshotDelete_shouldBeReportedInTheAlertNotThrown() throws Exception {
        FakeRds.Snap mine = sourceCopy("orders-db-20261124t093000z-5b1e0c", RUN);
        h.waits.register(mine.arn, "token-1", RUN, "copy-snapshot");
        h.rds.failNext("deleteDBSnapshot", FakeRds.error(InvalidDbSnapshotStateException.builder(),
                "InvalidDBSnapshotState", "Cannot delete the snapshot because it is being created"));

        FailureReport report = sourceSide().handle(sourceRequest(RUN));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.snapshots).containsKey(mine.id);
        assertThat(h.waits.items).containsKey(mine.arn); // only waits on deleted resources are released
        JsonNode alert = alert();
        assertThat(alert.get("notDeleted").get(0).asText()).startsWith(mine.arn + ": delete failed")
                .contains("InvalidDBSnapshotState");
    }

    // ---- instances -----------------------------------------------------------------------------

    @Test
    void managedInstanceOfThisReplication_shouldBeDeletedWithoutFinalSnapshot() {
        instance("orders-db-20261123t093000z", OTHER_RUN);
        FakeRds.Inst mine = instance("orders-db-20261124t093000z", RUN);
        h.waits.register(mine.arn(), "token-i", RUN, "restore-instance");

        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(request(RUN));

        assertThat(report.deleted()).containsExactly(mine.arn());
        assertThat(h.rds.instances).containsOnlyKeys("orders-db-20261123t093000z");
        assertThat(h.rds.snapshots).isEmpty(); // skipFinalSnapshot: no final snapshot was made
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void secretsCurrentInstance_shouldNeverBeDeleted() throws Exception {
        // The secret already points at this replication's new instance (switch-endpoint failed after the write).
        FakeRds.Inst current = instance("orders-db-20261124t093000z", RUN);
        FakeRds.Inst spare = instance("orders-db-20261124t093000z-2", RUN);

        FailureReport report = destinationSide("Orders-DB-20261124T093000Z").handle(request(RUN));

        assertThat(h.rds.instances).containsKey(current.id).doesNotContainKey(spare.id);
        assertThat(report.deleted()).containsExactly(spare.arn());
        assertThat(alert().get("notDeleted").toString()).contains(current.arn() + ": it is the instance the secret points to");
    }

    @Test
    void deletionProtectedInstance_shouldNeverBeDeleted() throws Exception {
        FakeRds.Inst protectedOne = instance("orders-db-20261124t093000z", RUN);
        protectedOne.deletionProtection = true;

        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(request(RUN));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.instances).containsKey(protectedOne.id);
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
        assertThat(alert().get("notDeleted").toString()).contains("deletion protection");
    }

    @Test
    void unmanagedOrForeignInstances_shouldNeverBeDeleted() {
        instance("orders-db", null);
        FakeRds.Inst lookalike = instance("orders-db-lookalike", null);
        lookalike.tags.add(Tags.tag(Tags.REPLICATION_ID, RUN));
        instance("orders-db-20261123t093000z", OTHER_RUN);

        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(request(RUN));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
        assertThat(h.rds.instances).hasSize(3);
    }

    @Test
    void sourceSide_withoutSecret_shouldNotTouchInstances() {
        instance("orders-db-20261124t093000z", RUN);

        FailureReport report = sourceSide().handle(sourceRequest(RUN));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.calls("describeDBInstances")).isZero();
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
    }

    @Test
    void unreadableSecret_shouldDeleteNoInstanceButStillCleanSnapshotsAndAlert() throws Exception {
        instance("orders-db-20261124t093000z", RUN);
        FakeRds.Snap mine = snapshot("orders-db-20261124t093000z-5b1e0c", RUN);
        // configured, but the secret does not exist
        HandleFailureService service = new HandleFailureService(h.managed, sns, secrets.store(FakeSecrets.ARN), h.waits,
                config(TOPIC, FakeSecrets.ARN), json, lock);

        FailureReport report = service.handle(request(RUN));

        assertThat(h.rds.instances).containsKey("orders-db-20261124t093000z");
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
        assertThat(report.deleted()).containsExactly(mine.arn);
        assertThat(alert().get("notDeleted").toString()).contains("the secret cannot be read");
    }

    @Test
    void secretValue_shouldNeverBeLogged() {
        instance("orders-db-20261124t093000z", RUN);
        try (LogCapture logs = LogCapture.start()) {
            FailureReport report = destinationSide("orders-db-20261124t093000z").handle(request(RUN));

            assertThat(report.deleted()).isEmpty();
            assertThat(logs.text()).contains(RUN).doesNotContain(PASSWORD);
        }
        assertThat(sns.published.get(0).message()).doesNotContain(PASSWORD);
    }

    // ---- sides (Role=both: one account, both workflows, the same replication id) ------------------

    /** What both workflows of one replication made in one account (Role=both). */
    record BothSides(FakeRds.Snap source, FakeRds.Snap shareable, FakeRds.Snap local, FakeRds.Inst restored) {
    }

    BothSides bothSides() {
        return new BothSides(snapshot("orders-db-20261124t093000z-5b1e0c", RUN, Tags.KIND_SOURCE_SNAPSHOT),
                sourceCopy("orders-db-20261124t093000z-5b1e0c-share", RUN),
                snapshot("orders-db-20261124t093000z-5b1e0c-share-local", RUN),
                instance("orders-db-20261124t093000z", RUN));
    }

    @Test
    void destinationFailure_inBothRoles_shouldDeleteOnlyTheDestinationSidesResources() {
        BothSides both = bothSides();

        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(request(RUN));

        assertThat(report.deleted()).containsExactly(both.restored().arn(), both.local().arn);
        assertThat(h.rds.snapshots).containsOnlyKeys(both.source().id, both.shareable().id);
    }

    @Test
    void sourceFailure_inBothRoles_shouldDeleteOnlyTheSourceSidesResources() {
        BothSides both = bothSides();

        // The same function, configured with the secret as in Role=both, called by the source workflow.
        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(
                new FailureRequest(RUN, "Notify destination", null, null));

        assertThat(report.deleted()).containsExactly(both.source().arn, both.shareable().arn);
        assertThat(h.rds.snapshots).containsOnlyKeys(both.local().id);
        assertThat(h.rds.instances).containsKey(both.restored().id);
        assertThat(h.rds.calls("describeDBInstances")).isZero();
    }

    @Test
    void finalAndUnknownKindSnapshots_shouldBeKept() {
        snapshot("orders-db-20261124t093000z-final", RUN, Tags.KIND_FINAL_SNAPSHOT);
        snapshot("orders-db-20261124t093000z-what", RUN, "something-else");
        snapshot("orders-db-20261124t093000z-untyped", RUN, null);

        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(request(RUN));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.calls("deleteDBSnapshot")).isZero();
    }

    @Test
    void unknownStepWhereBothSidesMayRun_shouldDeleteNothingAndSayWhy() throws Exception {
        snapshot("orders-db-20261124t093000z-5b1e0c-share-local", RUN);
        instance("orders-db-20261124t093000z", RUN);

        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(
                new FailureRequest(RUN, "Some renamed state", null, null));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.calls("describeDBSnapshots") + h.rds.calls("describeDBInstances")).isZero();
        assertThat(alert().get("notDeleted").toString()).contains("the side that failed is unknown");
    }

    @Test
    void everyFailedStepOfTheStateMachines_shouldBelongToItsWorkflowsSide() throws Exception {
        Map<String, Side> expected = Map.of("source-replication.asl.json", Side.SOURCE,
                "destination-restore.asl.json", Side.DESTINATION, "rollback.asl.json", Side.DESTINATION);
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Side> machine : expected.entrySet()) {
            JsonNode states = json.readTree(EventFiles.root().resolve("statemachines").resolve(machine.getKey())
                    .toFile()).get("States");
            states.fields().forEachRemaining(state -> {
                JsonNode st = state.getValue();
                if ("$.failedStep".equals(st.path("ResultPath").asText())) {
                    String step = st.get("Result").asText();
                    seen.add(step);
                    assertThat(HandleFailureService.sideOf(step, true)).as(step).contains(machine.getValue());
                }
                // Every call of handle-failure also names its workflow's side explicitly.
                JsonNode payload = st.path("Parameters").path("Payload");
                if (payload.has("mode")) {
                    assertThat(payload.path("side").asText()).as(state.getKey())
                            .isEqualTo(machine.getValue().name().toLowerCase(java.util.Locale.ROOT));
                }
            });
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                Stream.concat(HandleFailureService.SOURCE_STEPS.stream(), HandleFailureService.DESTINATION_STEPS.stream())
                        .toList());
    }

    // ---- modes -------------------------------------------------------------------------------

    FailureRequest withMode(String mode, String side) {
        FailureRequest r = request(RUN);
        return new FailureRequest(r.replicationId(), r.failedStep(), r.error(), r.executionArn(), mode, side);
    }

    @Test
    void alertMode_shouldAlertWithoutListingOrDeletingAnything() throws Exception {
        instance("orders-db-20261124t093000z", RUN);
        snapshot("orders-db-20261124t093000z-5b1e0c", RUN);

        FailureReport report = destinationSide("orders-db-old").handle(withMode(FailureRequest.ALERT, "destination"));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.calls("describeDBSnapshots") + h.rds.calls("describeDBInstances")).isZero();
        assertThat(h.rds.instances).containsKey("orders-db-20261124t093000z");
        assertThat(sns.published).hasSize(1);
        assertThat(alert().get("type").asText()).isEqualTo("alert");
        assertThat(alert().get("error").asText()).isEqualTo("org.rdsreplicator.common.errors.ResourceFailedException");
        assertThat(sns.published.get(0).subject()).contains("failed at Restore instance");
    }

    @Test
    void noticeMode_shouldPublishAnInformationalAlertAndDeleteNothing() throws Exception {
        snapshot("orders-db-20261124t093000z-5b1e0c", RUN);
        FailureRequest notice = new FailureRequest(RUN, "Switch endpoint", new StepFailure("Superseded",
                "older than the current copy"), "arn:aws:states:eu-west-1:111111111111:execution:x:" + RUN,
                FailureRequest.NOTICE, "destination");

        destinationSide("orders-db-new").handle(notice);

        assertThat(h.rds.snapshots).hasSize(1);
        assertThat(alert().get("type").asText()).isEqualTo("notice");
        assertThat(sns.published.get(0).subject()).isEqualTo("RDS replication " + RUN + ": Superseded at Switch endpoint");
    }

    @Test
    void unknownModeOrSide_shouldFailWithInvalidInputBeforeAnything() {
        assertThatThrownBy(() -> sourceSide().handle(withMode("purge", null))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sourceSide().handle(withMode(null, "both"))).isInstanceOf(InvalidInputException.class);
        assertThat(sns.published).isEmpty();
        assertThat(h.rds.calls("describeDBSnapshots")).isZero();
    }

    @Test
    void destinationCleanup_shouldReleaseThePromotionLockOfTheFailedRunOnly() {
        lock.acquire(RUN);
        destinationSide("orders-db-old").handle(withMode(null, "destination"));
        assertThat(lock.owner).isNull();

        lock.acquire("another-run");
        destinationSide("orders-db-old").handle(withMode(null, "destination"));
        assertThat(lock.owner).isEqualTo("another-run");
    }

    @Test
    void explicitSide_shouldWinOverTheStepName() {
        FakeRds.Snap sourceCopy = snapshot("orders-db-20261124t093000z-src", RUN, Tags.KIND_SHAREABLE_COPY);
        FakeRds.Snap localCopy = snapshot("orders-db-20261124t093000z-local", RUN, Tags.KIND_LOCAL_COPY);

        // A step name both workflows could use, sent by the source workflow.
        FailureRequest r = new FailureRequest(RUN, "Some shared name", null, null, null, "source");
        sourceSide().handle(r);

        assertThat(h.rds.snapshots).doesNotContainKey(sourceCopy.id).containsKey(localCopy.id);
    }

    // ---- cost ----------------------------------------------------------------------------------

    @Test
    void thousandsOfUnrelatedResources_shouldCostOnlyDescribePagesNoTagCalls() {
        for (int n = 0; n < 1000; n++) {
            // Half someone else's, half other replications' of this system.
            snapshot("unrelated-snapshot-" + n, n % 2 == 0 ? null : "other-run-" + n);
            instance("unrelated-instance-" + n, n % 2 == 0 ? null : "other-run-" + n);
        }
        FakeRds.Snap mine = snapshot("orders-db-20261124t093000z-5b1e0c-share-local", RUN);
        FakeRds.Inst restored = instance("orders-db-20261124t093000z", RUN);

        FailureReport report = destinationSide("orders-db-20261123t093000z").handle(request(RUN));

        assertThat(report.deleted()).containsExactly(restored.arn(), mine.arn);
        // 1,001 of each, 100 per page: 11 Describe pages each, and not one call per resource.
        assertThat(h.rds.calls("describeDBSnapshots")).isEqualTo(11);
        assertThat(h.rds.calls("describeDBInstances")).isEqualTo(11);
        assertThat(h.rds.calls("listTagsForResource")).isZero();
        assertThat(h.rds.calls("deleteDBSnapshot") + h.rds.calls("deleteDBInstance")).isEqualTo(2);
        assertThat(h.rds.snapshots).hasSize(1000);
        assertThat(h.rds.instances).hasSize(1000);
    }

    // ---- the alert -----------------------------------------------------------------------------

    @Test
    void alert_shouldCarryReplicationStepErrorCauseExecutionAndDeletedArns() throws Exception {
        FakeRds.Snap mine = snapshot("orders-db-20261124t093000z-5b1e0c", RUN);
        FakeRds.Inst inst = instance("orders-db-20261124t093000z", RUN);

        destinationSide("orders-db-20261123t093000z").handle(request(RUN));

        assertThat(sns.published.get(0).topicArn()).isEqualTo(TOPIC);
        assertThat(sns.published.get(0).subject()).isEqualTo("RDS replication " + RUN + " failed at Restore instance");
        JsonNode alert = alert();
        assertThat(alert.get("replicationId").asText()).isEqualTo(RUN);
        assertThat(alert.get("failedStep").asText()).isEqualTo("Restore instance");
        assertThat(alert.get("error").asText()).isEqualTo("org.rdsreplicator.common.errors.ResourceFailedException");
        assertThat(alert.get("cause").asText()).contains("incompatible-restore");
        assertThat(alert.get("executionArn").asText()).endsWith(":execution:destination-restore:" + RUN);
        assertThat(json.convertValue(alert.get("deleted"), List.class)).containsExactly(inst.arn(), mine.arn);
    }

    @Test
    void longReplicationIdAndStep_shouldGiveSubjectWithinSnsLimit() {
        String longId = "a".repeat(80);
        String subject = HandleFailureService.subject(longId, "Copy shared snapshot into this account\nnext line");

        assertThat(subject).hasSizeLessThanOrEqualTo(100).startsWith("RDS replication " + longId).doesNotContain("\n");
        assertThat(HandleFailureService.subject("r1", "Stép")).isEqualTo("RDS replication r1 failed at St?p");
    }

    @Test
    void alertNotPublished_shouldFailTheInvocation() {
        sns.failNext = (NotFoundException) NotFoundException.builder().message("Topic does not exist")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotFound").errorMessage("Topic does not exist")
                        .build())
                .statusCode(404).build();

        assertThatThrownBy(() -> sourceSide().handle(sourceRequest(RUN))).isInstanceOf(AlertNotPublishedException.class)
                .hasMessageContaining(TOPIC);
    }

    @Test
    void alertThrottled_shouldFailWithTransientAwsException() {
        sns.failNext = (SnsException) SnsException.builder().message("Rate exceeded")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").build())
                .statusCode(400).build();

        assertThatThrownBy(() -> sourceSide().handle(sourceRequest(RUN))).isInstanceOf(TransientAwsException.class);
    }

    @Test
    void alertServiceUnavailable_shouldFailWithTransientAwsException() {
        sns.failNext = (SnsException) SnsException.builder().message("unavailable")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").build()).statusCode(500).build();

        assertThatThrownBy(() -> sourceSide().handle(sourceRequest(RUN))).isInstanceOf(TransientAwsException.class);
    }

    @Test
    void missingErrorAndStep_shouldStillAlert() throws Exception {
        sourceSide().handle(new FailureRequest(RUN, null, null, null));

        assertThat(sns.published.get(0).subject()).isEqualTo("RDS replication " + RUN + " failed at unknown step");
        assertThat(alert().get("error").isNull()).isTrue();
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void missingOrInvalidReplicationId_shouldFailWithoutSideEffects() {
        snapshot("orders-db-20261124t093000z-5b1e0c", RUN);

        assertThatThrownBy(() -> sourceSide().handle(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sourceSide().handle(request(null))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("replicationId");
        assertThatThrownBy(() -> sourceSide().handle(request("bad id!"))).isInstanceOf(InvalidInputException.class);

        assertThat(h.rds.calls("describeDBSnapshots")).isZero();
        assertThat(h.rds.snapshots).hasSize(1);
        assertThat(sns.published).isEmpty();
    }

    @Test
    void missingAlertsTopic_shouldFailBeforeDeletingAnything() {
        snapshot("orders-db-20261124t093000z-5b1e0c", RUN);
        HandleFailureService service = new HandleFailureService(h.managed, sns, secrets.store(null), h.waits,
                config(null, null), json, lock);

        assertThatThrownBy(() -> service.handle(request(RUN))).isInstanceOf(ConfigurationException.class);
        assertThat(h.rds.snapshots).hasSize(1);
    }

    // ---- Aurora clusters ------------------------------------------------------------------------

    @Test
    void failedClusterRun_shouldDeleteItsWriterThenItsCluster_andNoOtherCluster() {
        String run = "ledger-20261124T093000Z";
        for (String[] c : new String[][] { { "ledger-new", run }, { "ledger-old", "ledger-20261101T093000Z" } }) {
            h.rds.addCluster(c[0], "available");
            h.rds.clusterTags.put(c[0], new java.util.ArrayList<>(Tags.managedCluster(c[1], "ledger")));
            var writer = h.rds.addInstance(c[0] + "-writer", "available");
            writer.clusterId = c[0];
            writer.tags.addAll(Tags.managedCluster(c[1], "ledger"));
        }
        HandleFailureService service = destinationSide("orders-db-current");

        FailureReport report = service.handle(new FailureRequest(run, "Set cluster master password",
                new StepFailure("org.rdsreplicator.common.errors.ResourceFailedException", "reset failed"),
                "arn:aws:states:eu-west-1:111111111111:execution:destination-restore:" + run));

        assertThat(report.deleted()).containsExactly(
                "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":db:ledger-new-writer",
                "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster:ledger-new");
        assertThat(h.rds.clusters).doesNotContainKey("ledger-new").containsKey("ledger-old");
        assertThat(h.rds.instances).doesNotContainKey("ledger-new-writer").containsKey("ledger-old-writer");
        assertThat(HandleFailureService.sideOf("Restore cluster", true)).contains(org.rdsreplicator.common.rds.Side.DESTINATION);
    }

    void clusterWithWriter(String id, String run, String role) {
        h.rds.addCluster(id, "available");
        var tags = new java.util.ArrayList<>(Tags.managedCluster(run, "ledger"));
        if (role != null) {
            tags.add(Tags.tag(Tags.ROLE, role));
        }
        h.rds.clusterTags.put(id, tags);
        var writer = h.rds.addInstance(id + "-writer", "available");
        writer.clusterId = id;
        writer.tags.addAll(Tags.managedCluster(run, "ledger"));
    }

    static FailureRequest clusterFailure(String run, String step) {
        return new FailureRequest(run, step, new StepFailure("org.rdsreplicator.common.errors.ResourceFailedException",
                "failed"), "arn:aws:states:eu-west-1:111111111111:execution:destination-restore:" + run);
    }

    @Test
    void failureAfterTheSwitch_shouldKeepTheRunsClusterTheSecretNames_andItsWriter() {
        String run = "ledger-20261124T093000Z";
        clusterWithWriter("ledger-new", run, Tags.ROLE_CURRENT);
        secrets.create(FakeSecrets.ARN, "{\"engine\":\"aurora-postgresql\",\"host\":\"ledger-new.cluster-abc\","
                + "\"port\":5432,\"username\":\"app\",\"password\":\"" + PASSWORD + "\","
                + "\"dbClusterIdentifier\":\"ledger-new\"}");
        HandleFailureService service = new HandleFailureService(h.managed, sns, secrets.store(FakeSecrets.ARN), h.waits,
                config(TOPIC, FakeSecrets.ARN), json, lock);

        FailureReport report = service.handle(clusterFailure(run, "Prune instances"));

        assertThat(report.deleted()).isEmpty();
        assertThat(h.rds.clusters).containsKey("ledger-new");
        assertThat(h.rds.instances).as("a cluster in service keeps its writer").containsKey("ledger-new-writer");
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
    }

    @Test
    void perDatabaseSecrets_failedClusterRun_shouldBeCleanedUpAgainstTheClustersOwnSecret() {
        String run = "ledger-20261124T093000Z";
        String source = "999999999999";
        clusterWithWriter("ledger-new", run, null);
        clusterWithWriter("ledger-cur", "ledger-20261101T093000Z", Tags.ROLE_CURRENT);
        // Only the cluster's own secret exists: read from any other scope, cleanup would touch nothing.
        secrets.create("rds-replicator/" + source + "/cluster/ledger", "{\"engine\":\"aurora-postgresql\","
                + "\"host\":\"ledger-cur.cluster-abc\",\"port\":5432,\"username\":\"app\",\"password\":\""
                + PASSWORD + "\",\"dbClusterIdentifier\":\"ledger-cur\"}");
        HandleFailureService service = new HandleFailureService(h.managed, sns, secrets.perDatabaseStore(source),
                h.waits, config(TOPIC, null), json, lock);

        FailureReport report = service.handle(clusterFailure(run, "Verify cluster copy"));

        assertThat(report.deleted()).containsExactly(
                "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":db:ledger-new-writer",
                "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":cluster:ledger-new");
        assertThat(h.rds.clusters).containsKey("ledger-cur");
        assertThat(h.rds.instances).containsKey("ledger-cur-writer");
    }
}
