package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The EventBridge pattern template.yaml declares for the router matches the RDS events the router is
 * written for (the events/ samples), and nothing from another account.
 */
class EventPatternContractTest {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    @Test
    void routerPattern_shouldMatchTheSampleRdsEvents_butNotAnotherAccountsResources() throws IOException {
        JsonNode pattern = Project.JSON.valueToTree(routerPattern());
        List<Path> samples;
        try (Stream<Path> s = Files.list(Project.root().resolve("events"))) {
            samples = s.filter(p -> p.getFileName().toString().startsWith("rds-event-router-")
                    && !p.getFileName().toString().contains("malformed")).toList();
        }
        assertThat(samples).isNotEmpty();
        for (Path p : samples) {
            JsonNode event = Project.json(p);
            assertThat(EventPatterns.matches(pattern, event)).as(p.getFileName().toString()).isTrue();
        }
        JsonNode foreign = Project.JSON.readTree(Project.read(samples.get(0)).replace(":" + ACCOUNT + ":", ":999999999999:"));
        assertThat(EventPatterns.matches(pattern, foreign)).isFalse();
        JsonNode otherSource = Project.JSON.readTree(Project.read(samples.get(0)).replace("\"aws.rds\"", "\"aws.ec2\""));
        assertThat(EventPatterns.matches(pattern, otherSource)).isFalse();
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
