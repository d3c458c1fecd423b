package org.rdsreplicator.notifydestination;

import java.util.Map;

import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The replication topic the function publishes to in the {@code @QuarkusTest}. An SNS topic ARN is
 * fixed by account, Region and name, so the test creates the topic in moto before each test under
 * this name.
 */
public class ReplicationTopicResource implements QuarkusTestResourceLifecycleManager {
    static final String TOPIC_NAME = "rds-replicator-replication";
    static final String TOPIC_ARN = "arn:aws:sns:" + MotoResource.REGION + ":" + MotoResource.ACCOUNT + ":"
            + TOPIC_NAME;

    @Override
    public Map<String, String> start() {
        return Map.of("replicator.replication-topic-arn", TOPIC_ARN);
    }

    @Override
    public void stop() {
        // nothing to stop
    }
}
