package org.rdsreplicator.common.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Test profile of the destination functions' {@code @QuarkusTest}s: the database secret is named by
 * {@link #SECRET} (Secrets Manager accepts a name where an ARN goes, and moto's ARNs end in a random
 * suffix the configuration cannot know in advance).
 */
public class SecretNameProfile implements QuarkusTestProfile {
    public static final String SECRET = "rds-replicator/orders-db";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("replicator.secret-arn", SECRET);
    }
}
