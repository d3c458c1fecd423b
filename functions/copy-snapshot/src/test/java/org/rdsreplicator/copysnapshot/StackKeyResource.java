package org.rdsreplicator.copysnapshot;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

import org.rdsreplicator.common.testing.MotoResource;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The stack's customer-managed KMS key, made in moto once moto is up ({@link #order()} after
 * {@link MotoResource}), and handed to the function as {@code replicator.kms-key-arn} before it starts.
 * moto's {@code reset} forgets keys, so {@link #createKey()} makes the same key again: moto's random
 * generator is seeded first, which gives the key the same id every time.
 */
public class StackKeyResource implements QuarkusTestResourceLifecycleManager {
    private static final int SEED = 20261124;

    @Override
    public Map<String, String> start() {
        return Map.of("replicator.kms-key-arn", createKey());
    }

    @Override
    public void stop() {
        // moto goes with MotoResource
    }

    @Override
    public int order() {
        return 1; // after MotoResource (0): needs the emulator and its endpoint
    }

    /** Creates the key in moto and returns its ARN (the same ARN after every moto reset). */
    public static String createKey() {
        String endpoint = System.getProperty("aws.endpointUrl");
        seed(endpoint);
        try (KmsClient kms = KmsClient.builder().endpointOverride(URI.create(endpoint))
                .region(Region.of(MotoResource.REGION)).credentialsProvider(MotoResource.creds())
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return kms.createKey(r -> r.description("rds-replicator test stack key")).keyMetadata().arn();
        }
    }

    private static void seed(String endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/seed?a=" + SEED).toURL()
                    .openConnection();
            c.setRequestMethod("POST");
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("moto refused to seed its random generator: " + c.getResponseCode());
            }
            c.disconnect();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
