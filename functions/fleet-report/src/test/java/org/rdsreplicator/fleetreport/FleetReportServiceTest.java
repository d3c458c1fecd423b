package org.rdsreplicator.fleetreport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.AlertNotPublishedException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.testing.RecordingSfn;
import org.rdsreplicator.common.testing.RecordingSns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateEnteredEventDetails;
import software.amazon.awssdk.services.sns.model.PublishRequest;

class FleetReportServiceTest {
    static final String MACHINE = "arn:aws:states:eu-west-1:111111111111:stateMachine:source";
    static final String EXECUTIONS = "arn:aws:states:eu-west-1:111111111111:execution:source:";
    static final String TOPIC = "arn:aws:sns:eu-west-1:111111111111:alerts";
    static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    final ObjectMapper json = new ObjectMapper();

    /** Child executions by ARN, with their histories. */
    static class Children extends RecordingSfn {
        final Map<String, DescribeExecutionResponse> executions = new HashMap<>();
        final Map<String, List<HistoryEvent>> histories = new HashMap<>();

        @Override
        public DescribeExecutionResponse describeExecution(DescribeExecutionRequest r) {
            DescribeExecutionResponse e = executions.get(r.executionArn());
            if (e == null) {
                throw ExecutionDoesNotExistException.builder().message("no " + r.executionArn()).build();
            }
            return e;
        }

        @Override
        public GetExecutionHistoryResponse getExecutionHistory(GetExecutionHistoryRequest r) {
            return GetExecutionHistoryResponse.builder().events(histories.getOrDefault(r.executionArn(), List.of()))
                    .build();
        }

        void child(String name, ExecutionStatus status, int seconds) {
            executions.put(EXECUTIONS + name, DescribeExecutionResponse.builder().executionArn(EXECUTIONS + name)
                    .status(status).startDate(T0).stopDate(T0.plusSeconds(seconds)).build());
        }
    }

    record Config(Optional<String> alertsTopicArn, Optional<String> fleetSourceStateMachineArn)
            implements FleetReportConfig {
    }

    Children sfn;
    RecordingSns sns;
    FleetReportService service;

    @BeforeEach
    void setUp() {
        sfn = new Children();
        sns = new RecordingSns();
        service = new FleetReportService(sfn, sns, new Config(Optional.of(TOPIC), Optional.of(MACHINE)), json);
    }

    static FleetRun run(String db, String kind) {
        return new FleetRun(db, kind, db + "-fleet-1", null, null);
    }

    @Test
    void allReplicated_shouldReportTimes_andPublishNothing() {
        sfn.child("b-db-fleet-1", ExecutionStatus.SUCCEEDED, 95);
        sfn.child("a-db-fleet-1", ExecutionStatus.SUCCEEDED, 60);
        sfn.child("c1-fleet-1", ExecutionStatus.SUCCEEDED, 300);

        FleetReport r = service.report(new FleetReportRequest("fleet-1",
                List.of(List.of(run("b-db", "instance"), run("a-db", "instance")), List.of(run("c1", "cluster")))));

        assertThat(r.totals()).isEqualTo(new FleetReport.Totals(3, 3, 0, 0));
        assertThat(r.databases()).extracting(DatabaseOutcome::database).containsExactly("a-db", "b-db", "c1");
        assertThat(r.databases()).extracting(DatabaseOutcome::seconds).containsExactly(60L, 95L, 300L);
        assertThat(r.databases().get(0).startedAt()).isEqualTo("2026-11-30T03:00:00Z");
        assertThat(r.alertMessageId()).isNull();
        assertThat(sns.published).isEmpty();
    }

    @Test
    void failedChild_shouldNameItsErrorAndStep_andOneAlertShouldListIt() throws Exception {
        sfn.child("a-db-fleet-1", ExecutionStatus.SUCCEEDED, 60);
        sfn.child("b-db-fleet-1", ExecutionStatus.FAILED, 12);
        String failurePathInput = "{\"failedStep\": \"Check source\", \"error\": {\"Error\": "
                + "\"org.rdsreplicator.common.errors.SnapshotNotShareableException\", \"Cause\": "
                + "\"{\\\"errorMessage\\\": \\\"b-db has a permanent option\\\", \\\"errorType\\\": \\\"x\\\"}\"}}";
        sfn.histories.put(EXECUTIONS + "b-db-fleet-1", List.of(
                HistoryEvent.builder().stateEnteredEventDetails(StateEnteredEventDetails.builder()
                        .name("Alert without cleanup").input(failurePathInput).build()).build(),
                HistoryEvent.builder().executionFailedEventDetails(ExecutionFailedEventDetails.builder()
                        .error("ReplicationFailed").cause("A step failed").build()).build()));

        FleetReport r = service.report(new FleetReportRequest("fleet-1",
                List.of(List.of(run("a-db", "instance"), run("b-db", "instance")), List.of())));

        assertThat(r.totals()).isEqualTo(new FleetReport.Totals(2, 1, 0, 1));
        DatabaseOutcome b = r.databases().get(1);
        assertThat(b.outcome()).isEqualTo("failed");
        assertThat(b.error()).isEqualTo("org.rdsreplicator.common.errors.SnapshotNotShareableException");
        assertThat(b.failedStep()).isEqualTo("Check source");
        assertThat(b.cause()).isEqualTo("b-db has a permanent option");
        assertThat(b.seconds()).isEqualTo(12L);
        assertThat(sns.published).hasSize(1);
        PublishRequest p = sns.published.get(0);
        assertThat(p.topicArn()).isEqualTo(TOPIC);
        assertThat(p.subject()).isEqualTo("rds-replicator fleet fleet-1: 1 of 2 failed");
        JsonNode alert = json.readTree(p.message());
        assertThat(alert.path("type").asText()).isEqualTo("fleet-report");
        assertThat(alert.path("summary").asText()).contains("1 of 2 databases failed")
                .contains("instance b-db: org.rdsreplicator.common.errors.SnapshotNotShareableException at Check source");
        assertThat(alert.path("failed")).hasSize(1);
        assertThat(r.alertMessageId()).isEqualTo("msg-1");
    }

    @Test
    void runningReplication_shouldBeSuperseded_notFailed() {
        String other = EXECUTIONS + "on-demand-1";
        sfn.executions.put(other, DescribeExecutionResponse.builder().executionArn(other).status(ExecutionStatus.RUNNING)
                .startDate(T0).build());

        FleetReport r = service.report(new FleetReportRequest("fleet-1",
                List.of(List.of(new FleetRun("a-db", "instance", "a-db-fleet-1", other, null)), List.of())));

        assertThat(r.totals()).isEqualTo(new FleetReport.Totals(1, 0, 1, 0));
        assertThat(r.databases().get(0).executionArn()).isEqualTo(other);
        assertThat(sns.published).isEmpty();
    }

    @Test
    void childNeverStarted_shouldReportTheStartError() {
        FleetReport r = service.report(new FleetReportRequest("fleet-1", List.of(List.of(new FleetRun("a-db",
                "instance", "a-db-fleet-1", null, new FleetRun.RunError("StepFunctions.ExecutionAlreadyExistsException",
                        "Execution Already Exists"))), List.of())));

        assertThat(r.databases().get(0).outcome()).isEqualTo("failed");
        assertThat(r.databases().get(0).error()).isEqualTo("StepFunctions.ExecutionAlreadyExistsException");
        assertThat(sns.published).hasSize(1);
    }

    @Test
    void emptyFleet_shouldReportNothing() {
        FleetReport r = service.report(new FleetReportRequest("fleet-1", List.of(List.of(), List.of())));

        assertThat(r.totals()).isEqualTo(new FleetReport.Totals(0, 0, 0, 0));
        assertThat(sns.published).isEmpty();
    }

    @Test
    void alertThatCannotBePublished_shouldFailNamed() {
        sns.failNext = software.amazon.awssdk.services.sns.model.AuthorizationErrorException.builder()
                .message("denied").build();

        assertThatThrownBy(() -> service.report(new FleetReportRequest("fleet-1", List.of(List.of(run("x", "instance"))))))
                .isInstanceOf(AlertNotPublishedException.class);
        assertThatThrownBy(() -> service.report(null)).isInstanceOf(InvalidInputException.class);
    }
}
