package org.rdsreplicator.handlefailure;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The destination side's settings, as template.yaml would set them: an alerts topic and the database
 * secret (referred to by name: moto accepts names and ARNs alike, and a secret's ARN carries a random
 * suffix that is only known after creation).
 */
public class DestinationProfile implements QuarkusTestProfile {
    static final String TOPIC_NAME = "replicator-alerts";
    static final String TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:" + TOPIC_NAME;
    static final String SECRET_NAME = "rds-replicator/orders-db";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("replicator.alerts-topic-arn", TOPIC_ARN, "replicator.secret-arn", SECRET_NAME);
    }
}
