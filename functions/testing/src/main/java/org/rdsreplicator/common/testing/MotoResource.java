package org.rdsreplicator.common.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Runs the moto AWS emulator (pinned in requirements-dev.txt; tools/python-env.sh provides it)
 * on a free loopback port for a {@code @QuarkusTest}, and points every AWS client of the function at
 * it through the SDK-wide {@code aws.endpointUrl} setting, exactly as {@code AWS_ENDPOINT_URL} does in
 * a deployed function. The server dies with the test JVM (its stdin is the JVM's pipe).
 */
public class MotoResource implements QuarkusTestResourceLifecycleManager {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    public static final String WAIT_TABLE = "replicator-waits";
    /** Whether the function under test has the wait table at all (common-waits on its classpath). */
    static final boolean HAS_WAITS = present("org.rdsreplicator.common.wait.WaitsConfig");

    private static volatile String endpoint;
    private Process process;

    @Override
    public Map<String, String> start() {
        int port = freePort();
        try {
            // 'cat' holds the server until the JVM closes the pipe, then the server is killed.
            process = new ProcessBuilder("sh", "-c", "python3 -m moto.server -H 127.0.0.1 -p " + port
                    + " >/dev/null 2>&1 & pid=$!; cat >/dev/null; kill $pid").start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto: python3 with moto[server] is required "
                    + "(pip install 'moto[server]')", e);
        }
        endpoint = "http://127.0.0.1:" + port;
        awaitUp(endpoint);
        System.setProperty("aws.endpointUrl", endpoint);
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        Map<String, String> config = new HashMap<>();
        if (HAS_WAITS) {
            // Only then: a function without a wait table has no property to take its name.
            WaitTable.create();
            config.put("replicator.waits.table", WAIT_TABLE);
        }
        return config;
    }

    @Override
    public void stop() {
        if (process != null) {
            // The server is a child of the wrapper shell: stop it first, then the wrapper.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    public static String endpoint() {
        return endpoint;
    }

    public static RdsClient rds() {
        return RdsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.of(REGION))
                .credentialsProvider(creds()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.of(REGION))
                .credentialsProvider(creds()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static StaticCredentialsProvider creds() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /** Removes every resource of moto's in-memory state (between tests). */
    public static void reset() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/reset").toURL().openConnection();
            c.setRequestMethod("POST");
            c.getResponseCode();
            c.disconnect();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (HAS_WAITS) {
            WaitTable.create();
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, MotoResource.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Loaded only when the DynamoDB client is on the classpath (functions with waits). */
    private static final class WaitTable {
        static void create() {
            try (DynamoDbClient d = dynamo()) {
                if (d.listTables().tableNames().contains(WAIT_TABLE)) {
                    return;
                }
                d.createTable(r -> r.tableName(WAIT_TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(List.of(AttributeDefinition.builder().attributeName("resourceArn")
                                .attributeType(ScalarAttributeType.S).build()))
                        .keySchema(KeySchemaElement.builder().attributeName("resourceArn").keyType(KeyType.HASH)
                                .build()));
            }
        }
    }

    private static void awaitUp(String url) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url + "/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() > 0) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            try {
                Thread.sleep(100); // polling a child process's port; there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("moto did not start on " + url
                + " within 30 s: is moto[server] installed in python3? (pip install 'moto[server]')");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
