package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The EventBridge pattern template.yaml declares for the router passes exactly the RDS events that can complete or
 * fail a wait (the events/ samples), and nothing that cannot, nor anything from another account.
 */
class EventPatternContractTest {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    /**
     * The events the router needs, by EventID (docs/architecture.md, "Router rule", says why each): a waited step ends
     * when its resource is available, failed or gone, or when a password reset ended. Every id here must be matched,
     * and the pattern must match no other id.
     */
    static final Map<String, String> NEEDED = Map.ofEntries(
            Map.entry("RDS-EVENT-0042", "manual snapshot created: Create snapshot"),
            Map.entry("RDS-EVENT-0197", "same-Region copy finished: Copy snapshot, Copy shared snapshot"),
            Map.entry("RDS-EVENT-0190", "same-Region copy canceled: the copy failed"),
            Map.entry("RDS-EVENT-0060", "cross-Region copy finished: Copy shared snapshot from another Region"),
            Map.entry("RDS-EVENT-0061", "cross-Region copy canceled"),
            Map.entry("RDS-EVENT-0041", "snapshot deleted: a wait on it must fail"),
            Map.entry("RDS-EVENT-0043", "restored from snapshot: Restore instance"),
            Map.entry("RDS-EVENT-0005", "instance created: Restore instance, if RDS announces a restore so"),
            Map.entry("RDS-EVENT-0003", "instance deleted: a wait on it must fail"),
            Map.entry("RDS-EVENT-0031", "instance failed (e.g. incompatible-restore)"),
            Map.entry("RDS-EVENT-0035", "instance in incompatible-parameters"),
            Map.entry("RDS-EVENT-0036", "instance in incompatible-network"),
            Map.entry("RDS-EVENT-0086", "option group could not be associated (incompatible-option-group)"),
            Map.entry("RDS-EVENT-0221", "instance storage-full"),
            Map.entry("RDS-EVENT-0419", "KMS key inaccessible (inaccessible-encryption-credentials)"),
            Map.entry("RDS-EVENT-0016", "master credentials reset: Set master password"),
            Map.entry("RDS-EVENT-0067", "master credentials reset failed: Set master password"),
            Map.entry("RDS-EVENT-0075", "manual cluster snapshot created: Create snapshot of an Aurora cluster"),
            Map.entry("RDS-EVENT-0170", "DB cluster created: the restored Aurora cluster"),
            Map.entry("RDS-EVENT-0171", "DB cluster deleted: a wait on it must fail"));

    @Test
    void routerPattern_shouldMatchExactlyTheEventIdsTheRouterNeeds() {
        JsonNode pattern = Project.JSON.valueToTree(routerPattern());
        Set<String> ids = new TreeSet<>();
        pattern.path("detail").path("EventID").forEach(id -> ids.add(id.asText()));
        assertThat(ids).isEqualTo(new TreeSet<>(NEEDED.keySet()));
        Set<String> types = new TreeSet<>();
        pattern.path("detail").path("SourceType").forEach(t -> types.add(t.asText()));
        assertThat(types).containsExactly("CLUSTER", "CLUSTER_SNAPSHOT", "DB_INSTANCE", "SNAPSHOT");
    }

    @Test
    void routerPattern_shouldMatchTheSampleEventsOfEveryNeededId_andNotTheIgnoredOnes() throws IOException {
        JsonNode pattern = Project.JSON.valueToTree(routerPattern());
        Set<String> sampled = new TreeSet<>();
        int ignored = 0;
        for (Path p : samples()) {
            JsonNode event = Project.json(p);
            String name = p.getFileName().toString();
            if (name.contains("-ignored-")) {
                ignored++;
                assertThat(EventPatterns.matches(pattern, event)).as(name).isFalse();
            } else {
                assertThat(EventPatterns.matches(pattern, event)).as(name).isTrue();
                sampled.add(event.path("detail").path("EventID").asText());
            }
        }
        assertThat(sampled).as("a sample event in events/ for every needed id").isEqualTo(new TreeSet<>(NEEDED.keySet()));
        assertThat(ignored).as("samples of events that end no wait").isGreaterThanOrEqualTo(3);
    }

    @Test
    void routerPattern_shouldNotMatchAnotherAccountAnotherSourceOrAnotherSourceType() throws IOException {
        JsonNode pattern = Project.JSON.valueToTree(routerPattern());
        Path sample = Project.root().resolve("events/rds-event-router-password-reset.json");
        assertThat(EventPatterns.matches(pattern, Project.json(sample))).isTrue();
        JsonNode foreign = Project.JSON.readTree(Project.read(sample).replace(":" + ACCOUNT + ":", ":999999999999:"));
        assertThat(EventPatterns.matches(pattern, foreign)).isFalse();
        JsonNode otherSource = Project.JSON.readTree(Project.read(sample).replace("\"aws.rds\"", "\"aws.ec2\""));
        assertThat(EventPatterns.matches(pattern, otherSource)).isFalse();
        // RDS-EVENT-0016 of a DB cluster is let through (Aurora's password belongs to the cluster); of a proxy not.
        ObjectNode cluster = (ObjectNode) Project.json(sample);
        ((ObjectNode) cluster.path("detail")).put("SourceType", "CLUSTER");
        assertThat(EventPatterns.matches(pattern, cluster)).isTrue();
        ((ObjectNode) cluster.path("detail")).put("SourceType", "DB_PROXY");
        assertThat(EventPatterns.matches(pattern, cluster)).isFalse();
    }

    private static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(Project.root().resolve("events"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("rds-event-router-")
                    && !p.getFileName().toString().contains("malformed")).sorted().toList();
        }
    }

    /** The router's EventBridgeRule pattern with the pseudo parameters resolved for the sample account. */
    @SuppressWarnings("unchecked")
    static Object routerPattern() {
        Map<String, Object> fn = (Map<String, Object>) Project.resources().get("RdsEventRouterFunction");
        Map<String, Object> events = (Map<String, Object>) Project.properties(fn).get("Events");
        Map<String, Object> rule = (Map<String, Object>) events.values().iterator().next();
        assertThat(rule.get("Type")).isEqualTo("EventBridgeRule");
        return resolve(((Map<String, Object>) rule.get("Properties")).get("Pattern"));
    }

    @SuppressWarnings("unchecked")
    static Object resolve(Object o) {
        if (o instanceof Map<?, ?> m) {
            if (m.containsKey("Fn::Sub")) {
                return ((String) m.get("Fn::Sub")).replace("${AWS::Partition}", "aws").replace("${AWS::Region}", REGION)
                        .replace("${AWS::AccountId}", ACCOUNT);
            }
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, resolve(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(EventPatternContractTest::resolve).toList();
        }
        return o;
    }
}
