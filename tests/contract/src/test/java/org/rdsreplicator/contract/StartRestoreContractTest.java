package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** start-restore accepts messages from the topic it is subscribed to, and from no other. */
class StartRestoreContractTest {

    @Test
    @SuppressWarnings("unchecked")
    void acceptedTopic_shouldBeTheSubscribedTopic() {
        Map<String, Object> props = Project.properties((Map<String, Object>) Project.resources().get("StartRestoreFunction"));
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) props.get("Environment")).get("Variables");
        Map<String, Object> events = (Map<String, Object>) props.get("Events");
        Map<String, Object> subscription = (Map<String, Object>) events.get("Replication");

        assertThat(subscription.get("Type")).isEqualTo("SNS");
        Object subscribed = ((Map<String, Object>) subscription.get("Properties")).get("Topic");
        assertThat(env.get("REPLICATOR_SOURCE_TOPIC_ARN")).isNotNull().isEqualTo(subscribed);
    }
}
