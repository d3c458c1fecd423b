package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ReplicationException;
import org.rdsreplicator.common.errors.WaitExhaustedException;

import com.fasterxml.jackson.databind.JsonNode;

/** The state machines, the template's substitutions and the Java error names agree. */
class StateMachineContractTest {
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z0-9_:]+)}");
    /** Names the Step Functions service itself raises, or that name a Fail state of our own. */
    private static final Set<String> NON_JAVA = Set.of("ReplicationFailed", "RestoreFailed", "RollbackFailed", "FleetFailed");
    /** The one named error for throttling, 5xx and client timeouts of any AWS call. */
    private static final String TRANSIENT = "org.rdsreplicator.common.errors.TransientAwsException";

    @Test
    void everySubstitutionInAsl_shouldHaveADefinitionSubstitutionsEntry_andEveryEntryShouldBeUsed() {
        Map<String, Object> resources = Project.resources();
        int machines = 0;
        for (Object r : resources.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> res = (Map<String, Object>) r;
            if (!"AWS::Serverless::StateMachine".equals(res.get("Type"))) {
                continue;
            }
            machines++;
            Map<String, Object> props = Project.properties(res);
            String uri = (String) props.get("DefinitionUri");
            @SuppressWarnings("unchecked")
            Set<String> declared = new TreeSet<>(((Map<String, Object>) props.get("DefinitionSubstitutions")).keySet());
            Set<String> used = new TreeSet<>();
            Matcher m = SUBSTITUTION.matcher(Project.read(Project.root().resolve(uri)));
            while (m.find()) {
                used.add(m.group(1));
            }
            assertThat(used).as("substitutions used in %s", uri).isEqualTo(declared);
        }
        assertThat(machines).isEqualTo(Project.aslFiles().size()).isEqualTo(4);
    }

    @Test
    void everyCustomErrorName_shouldBeTheFullyQualifiedNameOfAProjectException() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Path f : Project.aslFiles()) {
            for (JsonNode n : Project.walk(Project.json(f))) {
                n.path("ErrorEquals").forEach(e -> names.add(e.asText()));
                if ("Fail".equals(n.path("Type").asText())) {
                    names.add(n.path("Error").asText());
                }
            }
        }
        Set<String> custom = new TreeSet<>();
        for (String name : names) {
            // StepFunctions.*: errors of the Step Functions service integration (the fleet's child executions).
            if (name.startsWith("States.") || name.startsWith("Lambda.") || name.startsWith("StepFunctions.")
                    || NON_JAVA.contains(name)) {
                continue;
            }
            custom.add(name);
            // The Lambda runtime reports errorType = exception.getClass().getName() (pinned end to end by
            // CreateSnapshotFunctionTest, which reads errorType from the mock event server).
            Class<?> type = Class.forName(name);
            assertThat(ReplicationException.class).as(name).isAssignableFrom(type);
            assertThat(type.getName()).isEqualTo(name);
        }
        assertThat(custom).as("the retried transient errors").contains(
                TRANSIENT,
                "org.rdsreplicator.common.errors.ResourceBusyException",
                "org.rdsreplicator.common.errors.CopyQuotaExceededException");
    }

    @Test
    void everyLambdaTask_shouldRetryTheStandardLambdaErrors_andCatchIntoTheFailurePath() {
        for (TaskState t : tasks()) {
            JsonNode s = t.state();
            Set<String> retried = new TreeSet<>();
            s.path("Retry").forEach(r -> r.path("ErrorEquals").forEach(x -> retried.add(x.asText())));
            assertThat(retried).as(t.where()).contains("Lambda.ServiceException", "Lambda.AWSLambdaException",
                    "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
            // A throttled or failing AWS call is never a reason to run the failure path.
            assertThat(retried).as("%s retries transient AWS errors", t.where()).contains(TRANSIENT);
            Set<String> caught = new TreeSet<>();
            s.path("Catch").forEach(c -> c.path("ErrorEquals").forEach(x -> caught.add(x.asText())));
            assertThat(caught).as("%s catches everything", t.where()).contains("States.ALL");
            if (s.path("Resource").asText().endsWith(".waitForTaskToken")) {
                assertThat(s.path("TimeoutSeconds").asInt()).as("wait has a timeout").isPositive();
                assertThat(s.path("Parameters").path("Payload").path("taskToken.$").asText()).isEqualTo("$$.Task.Token");
            }
        }
    }

    /** A Task state of one of the state machines, with its siblings (to follow Next from it). */
    private record TaskState(Path file, String name, JsonNode state, JsonNode states) {
        String where() {
            return file.getFileName() + " / " + name;
        }
    }

    private static List<TaskState> tasks() {
        List<TaskState> out = new ArrayList<>();
        for (Path f : Project.aslFiles()) {
            JsonNode states = Project.json(f).path("States");
            states.fields().forEachRemaining(e -> {
                if ("Task".equals(e.getValue().path("Type").asText())) {
                    out.add(new TaskState(f, e.getKey(), e.getValue(), states));
                }
            });
        }
        return out;
    }

    /**
     * A timed-out wait invokes the step again (Retry on States.Timeout, bounded); when the retries are spent the
     * run takes the failure path with the named WaitExhaustedException and the step's name.
     */
    @Test
    void everyWait_shouldReArmOnTimeout_andEndInWaitExhaustedOnTheFailurePath() {
        int waits = 0;
        for (Path f : Project.aslFiles()) {
            JsonNode states = Project.json(f).path("States");
            var it = states.fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode s = e.getValue();
                if (!s.path("Resource").asText().endsWith(".waitForTaskToken")) {
                    continue;
                }
                waits++;
                String where = f.getFileName() + " / " + e.getKey();
                JsonNode rearm = null;
                for (JsonNode r : s.path("Retry")) {
                    if (r.path("ErrorEquals").size() == 1 && "States.Timeout".equals(r.path("ErrorEquals").get(0).asText())) {
                        rearm = r;
                    }
                }
                assertThat(rearm).as("%s retries States.Timeout", where).isNotNull();
                // Bounded: at most about a day of re-arms (24 of an hour; a cluster copy's 288 of 5 minutes).
                assertThat(rearm.path("MaxAttempts").asInt()).as(where).isPositive();
                assertThat((long) rearm.path("MaxAttempts").asInt() * s.path("TimeoutSeconds").asInt())
                        .as("%s: re-arms x wait timeout", where).isLessThanOrEqualTo(24 * 3600);
                JsonNode timeoutCatch = s.path("Catch").get(0);
                assertThat(timeoutCatch.path("ErrorEquals").toString()).as("%s: first Catch", where)
                        .isEqualTo("[\"States.Timeout\"]");
                JsonNode exhausted = states.path(timeoutCatch.path("Next").asText());
                assertThat(exhausted.path("Type").asText()).as(where).isEqualTo("Pass");
                assertThat(exhausted.path("ResultPath").asText()).isEqualTo("$.error");
                assertThat(exhausted.path("Result").path("Error").asText()).as(where)
                        .isEqualTo(WaitExhaustedException.class.getName());
                JsonNode failed = states.path(exhausted.path("Next").asText());
                assertThat(failed.path("ResultPath").asText()).isEqualTo("$.failedStep");
                assertThat(failed.path("Result").asText()).as(where).isEqualTo(e.getKey());
                assertThat(firstTaskFrom(states, exhausted.path("Next").asText()).path("Parameters").path("FunctionName")
                        .asText()).as(where).isEqualTo("${HandleFailureFunctionArn}");
            }
        }
        assertThat(waits).as("create and copy (instance and cluster), copy shared, restore, password (twice), "
                + "headroom (three copies); restore cluster, create writer, cluster password (twice)").isEqualTo(15);
    }

    @Test
    void everyStateMachine_shouldSayItIsGenerated_andByWhat() {
        for (Path f : Project.aslFiles()) {
            assertThat(Project.json(f).path("Comment").asText()).as(f.toString()).startsWith("Generated by tools/gen_asl.py");
        }
    }

    @Test
    void everyFailure_shouldReachAnAlert_andAFailedCleanupShouldStillAlert() {
        for (TaskState t : tasks()) {
            String mode = t.state().path("Parameters").path("Payload").path("mode").asText();
            t.state().path("Catch").forEach(c -> {
                boolean all = false;
                for (JsonNode x : c.path("ErrorEquals")) {
                    all |= "States.ALL".equals(x.asText());
                }
                if (!all || "alert".equals(mode) || "notice".equals(mode)) {
                    return; // the last resort (the failed-execution alarm covers it), or best effort
                }
                JsonNode target = firstTaskFrom(t.states(), c.path("Next").asText());
                assertThat(target).as("%s: a caught failure must reach handle-failure", t.where()).isNotNull();
                assertThat(target.path("Parameters").path("FunctionName").asText()).as(t.where())
                        .isEqualTo("${HandleFailureFunctionArn}");
                if ("cleanup".equals(mode)) {
                    assertThat(target.path("Parameters").path("Payload").path("mode").asText())
                            .as("%s: when the cleanup fails or times out, alert without it", t.where()).isEqualTo("alert");
                }
            });
        }
    }

    /** The first Task reached from {@code name} through Pass and Choice (default) states, or null. */
    private static JsonNode firstTaskFrom(JsonNode states, String name) {
        for (int hops = 0; hops < 10 && !name.isEmpty(); hops++) {
            JsonNode s = states.path(name);
            switch (s.path("Type").asText()) {
                case "Task":
                    return s;
                case "Choice":
                    name = s.path("Default").asText();
                    break;
                default:
                    name = s.path("Next").asText();
            }
        }
        return null;
    }

    @Test
    void noStateMachine_shouldContainAWaitState() {
        for (Path f : Project.aslFiles()) {
            Project.json(f).path("States").forEach(s -> assertThat(s.path("Type").asText()).as(f.toString())
                    .isNotEqualTo("Wait"));
        }
    }
}
