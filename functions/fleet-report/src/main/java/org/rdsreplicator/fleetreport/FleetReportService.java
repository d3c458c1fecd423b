package org.rdsreplicator.fleetreport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AlertNotPublishedException;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the fleet report from the child executions themselves (DescribeExecution: status and times; for a failed
 * child its history: the failure path's input names the failed step and the named error), and publishes it to the
 * alerts topic, as one message, when any database failed.
 */
@ApplicationScoped
public class FleetReportService {
    static final String REPLICATED = "replicated";
    static final String SUPERSEDED = "superseded";
    static final String FAILED = "failed";
    /** The states of source-replication's failure path; their input carries failedStep and error. */
    static final Set<String> FAILURE_PATH = Set.of("Clean up and alert", "Alert without cleanup");
    static final int MAX_SUBJECT = 100;
    private static final Logger LOG = Logger.getLogger(FleetReportService.class);

    private final SfnClient sfn;
    private final SnsClient sns;
    private final FleetReportConfig config;
    private final ObjectMapper json;

    public FleetReportService(SfnClient sfn, SnsClient sns, FleetReportConfig config, ObjectMapper json) {
        this.sfn = sfn;
        this.sns = sns;
        this.config = config;
        this.json = json;
    }

    public FleetReport report(FleetReportRequest req) {
        if (req == null || req.runs() == null) {
            throw new InvalidInputException("an input with replicationId and runs is required");
        }
        String fleet = Identifiers.requireReplicationId(req.replicationId());
        String machine = config.fleetSourceStateMachineArn().filter(a -> !a.isBlank()).orElseThrow(() ->
                new ConfigurationException("REPLICATOR_FLEET_SOURCE_STATE_MACHINE_ARN is not set"));
        List<DatabaseOutcome> out = new ArrayList<>();
        for (List<FleetRun> map : req.runs()) {
            List<FleetRun> sorted = new ArrayList<>(map == null ? List.of() : map);
            sorted.removeIf(r -> r == null || r.database() == null);
            sorted.sort(Comparator.comparing(FleetRun::database));
            for (FleetRun run : sorted) {
                out.add(outcome(machine, run));
            }
        }
        int replicated = count(out, REPLICATED), superseded = count(out, SUPERSEDED), failed = count(out, FAILED);
        FleetReport.Totals totals = new FleetReport.Totals(out.size(), replicated, superseded, failed);
        String messageId = failed == 0 ? null : alert(fleet, totals, out);
        LOG.infof("fleet %s: %d databases, %d replicated, %d superseded, %d failed", fleet, out.size(), replicated,
                superseded, failed);
        return new FleetReport(fleet, totals, out, messageId);
    }

    private static int count(List<DatabaseOutcome> out, String outcome) {
        return (int) out.stream().filter(o -> outcome.equals(o.outcome())).count();
    }

    private DatabaseOutcome outcome(String machine, FleetRun run) {
        if (run.runningExecutionArn() != null) {
            DescribeExecutionResponse other = describe(run.runningExecutionArn());
            return new DatabaseOutcome(run.database(), run.kind(), SUPERSEDED, run.runningExecutionArn(),
                    other == null ? null : text(other.startDate()), null, null, null, null,
                    "a source replication of " + run.database() + " was already running: not started again");
        }
        String arn = machine.replace(":stateMachine:", ":execution:") + ":" + run.executionName();
        DescribeExecutionResponse child = describe(arn);
        if (child == null) {
            // Never started (e.g. ExecutionAlreadyExists for a name used by an earlier, finished run).
            FleetRun.RunError e = run.startError();
            return new DatabaseOutcome(run.database(), run.kind(), FAILED, null, null, null, null,
                    e == null ? "NotStarted" : e.error(), null, e == null ? "the child execution was not started"
                            : message(e.cause()));
        }
        String started = text(child.startDate()), stopped = text(child.stopDate());
        Long seconds = child.startDate() != null && child.stopDate() != null
                ? Duration.between(child.startDate(), child.stopDate()).toSeconds() : null;
        if (child.status() == ExecutionStatus.SUCCEEDED) {
            return new DatabaseOutcome(run.database(), run.kind(), REPLICATED, arn, started, stopped, seconds, null,
                    null, null);
        }
        Failure f = failure(arn, child);
        return new DatabaseOutcome(run.database(), run.kind(), FAILED, arn, started, stopped, seconds, f.error(),
                f.step(), f.cause());
    }

    private record Failure(String error, String step, String cause) {
    }

    /** The named error and failed step, from the input of the child's failure path; else its end. */
    private Failure failure(String arn, DescribeExecutionResponse child) {
        HistoryEvent failurePath = null;
        HistoryEvent end = null;
        for (HistoryEvent e : sfn.getExecutionHistoryPaginator(r -> r.executionArn(arn)).events()) {
            if (e.stateEnteredEventDetails() != null && FAILURE_PATH.contains(e.stateEnteredEventDetails().name())) {
                failurePath = e;
            }
            if (e.executionFailedEventDetails() != null) {
                end = e;
            }
        }
        if (failurePath != null) {
            JsonNode input = parse(failurePath.stateEnteredEventDetails().input());
            JsonNode error = input.path("error");
            return new Failure(error.path("Error").asText(null), input.path("failedStep").asText(null),
                    message(error.path("Cause").asText(null)));
        }
        if (end != null) {
            return new Failure(end.executionFailedEventDetails().error(), null,
                    message(end.executionFailedEventDetails().cause()));
        }
        return new Failure("States." + child.statusAsString(), null, "the child execution ended " + child.statusAsString());
    }

    private DescribeExecutionResponse describe(String arn) {
        try {
            return sfn.describeExecution(r -> r.executionArn(arn));
        } catch (ExecutionDoesNotExistException e) {
            return null;
        }
    }

    /** A Lambda error's Cause is the runtime's JSON ({@code errorMessage}, ...): keep the message. */
    private String message(String cause) {
        if (cause == null) {
            return null;
        }
        JsonNode parsed = parse(cause);
        String m = parsed.path("errorMessage").asText(cause);
        return m.length() > 500 ? m.substring(0, 500) + "..." : m;
    }

    private JsonNode parse(String text) {
        try {
            return text == null || !text.trim().startsWith("{") ? json.createObjectNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    // ---- the alert ----------------------------------------------------------------------------

    private String alert(String fleet, FleetReport.Totals totals, List<DatabaseOutcome> out) {
        String topic = config.alertsTopicArn().filter(t -> !t.isBlank()).orElseThrow(() ->
                new ConfigurationException("REPLICATOR_ALERTS_TOPIC_ARN is not set: the fleet report cannot alert"));
        StringBuilder summary = new StringBuilder();
        summary.append("Fleet ").append(fleet).append(": ").append(totals.failed()).append(" of ")
                .append(totals.databases()).append(" databases failed, ").append(totals.replicated())
                .append(" replicated, ").append(totals.superseded()).append(" superseded.\n");
        List<Map<String, Object>> failed = new ArrayList<>();
        for (DatabaseOutcome o : out) {
            if (!FAILED.equals(o.outcome())) {
                continue;
            }
            summary.append("- ").append(o.kind()).append(' ').append(o.database()).append(": ").append(o.error())
                    .append(o.failedStep() == null ? "" : " at " + o.failedStep()).append(": ").append(o.cause())
                    .append('\n');
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("database", o.database());
            f.put("kind", o.kind());
            f.put("error", o.error());
            f.put("failedStep", o.failedStep());
            f.put("cause", o.cause());
            f.put("executionArn", o.executionArn());
            failed.add(f);
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "fleet-report");
        message.put("fleet", fleet);
        message.put("summary", summary.toString());
        message.put("totals", totals);
        message.put("failed", failed);
        String subject = "rds-replicator fleet " + fleet + ": " + totals.failed() + " of " + totals.databases()
                + " failed";
        String body;
        try {
            body = json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the fleet alert", e);
        }
        try {
            String id = sns.publish(r -> r.topicArn(topic).subject(subject.length() > MAX_SUBJECT
                    ? subject.substring(0, MAX_SUBJECT) : subject).message(body)).messageId();
            LOG.infof("fleet report alert %s published: %s", id, subject);
            return id;
        } catch (SdkException e) {
            AwsFailures.throwIfTransient(e, "cannot publish the fleet report to " + topic);
            throw new AlertNotPublishedException("cannot publish the fleet report to " + topic + ": " + e.getMessage(), e);
        }
    }
}
