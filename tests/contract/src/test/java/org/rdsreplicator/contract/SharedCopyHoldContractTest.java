package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Source retention never deletes a shareable copy a destination may still be copying: the default of
 * {@code SharedCopyHoldHours} (how long prune-snapshots keeps every shareable copy) is at least the longest a
 * destination can take from the message to the end of its {@code Copy shared snapshot} step, computed from what
 * bounds it: start-restore's maximum event age, then every attempt the state's Retry allows (each waited attempt
 * up to its TimeoutSeconds, each failed one up to the function timeout, each retry's longest delay).
 */
class SharedCopyHoldContractTest {

    @Test
    @SuppressWarnings("unchecked")
    void holdDefault_shouldCoverTheLongestADestinationCanTakeToCopy() {
        Map<String, Object> template = Project.template();
        Map<String, Object> params = (Map<String, Object>) template.get("Parameters");
        long holdHours = Long.parseLong(String.valueOf(((Map<String, Object>) params.get("SharedCopyHoldHours")).get("Default")));

        Map<String, Object> startRestore = Project.properties((Map<String, Object>) Project.resources().get("StartRestoreFunction"));
        long eventAge = ((Number) ((Map<String, Object>) startRestore.get("EventInvokeConfig")).get("MaximumEventAgeInSeconds")).longValue();
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.get("Globals")).get("Function");
        long functionTimeout = ((Number) globals.get("Timeout")).longValue();

        JsonNode copy = Project.json(Project.root().resolve("statemachines/destination-restore.asl.json"))
                .path("States").path("Copy shared snapshot");
        long waitTimeout = copy.path("TimeoutSeconds").asLong();
        assertThat(waitTimeout).isPositive();
        long seconds = eventAge + waitTimeout;  // the first attempt
        for (JsonNode retry : copy.path("Retry")) {
            boolean timeout = retry.path("ErrorEquals").toString().contains("States.Timeout");
            int attempts = retry.path("MaxAttempts").asInt(3);
            double interval = retry.path("IntervalSeconds").asDouble(1);
            double backoff = retry.path("BackoffRate").asDouble(2);
            double maxDelay = retry.path("MaxDelaySeconds").asDouble(Double.MAX_VALUE);
            for (int k = 0; k < attempts; k++) {
                seconds += (long) Math.ceil(Math.min(interval * Math.pow(backoff, k), maxDelay));
                seconds += timeout ? waitTimeout : functionTimeout;
            }
        }
        long boundHours = (seconds + 3599) / 3600;

        assertThat(boundHours).as("the longest a destination's copy can take, in hours").isGreaterThan(24);
        assertThat(holdHours).as("SharedCopyHoldHours default").isGreaterThanOrEqualTo(boundHours);
    }

    @Test
    @SuppressWarnings("unchecked")
    void pruneSnapshots_shouldReadTheHoldFromTheParameter() {
        Map<String, Object> props = Project.properties((Map<String, Object>) Project.resources().get("PruneSnapshotsFunction"));
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) props.get("Environment")).get("Variables");
        assertThat(env.get("REPLICATOR_SNAPSHOT_RETENTION_HOLD")).isEqualTo(Map.of("Fn::Sub", "PT${SharedCopyHoldHours}H"));
    }
}
