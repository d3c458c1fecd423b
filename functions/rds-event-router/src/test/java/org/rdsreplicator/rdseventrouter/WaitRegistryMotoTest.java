package org.rdsreplicator.rdseventrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.testing.MotoResource;
import org.rdsreplicator.common.wait.WaitRegistration;
import org.rdsreplicator.common.wait.WaitRegistry;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Holds common's DynamoDB {@link WaitRegistry} to the contract the in-memory fake of the unit tests
 * assumes: conditional register, consistent find, claim exactly once, release only by the owner.
 */
@QuarkusTest
@QuarkusTestResource(value = MotoResource.class, restrictToAnnotatedClass = true)
class WaitRegistryMotoTest {
    static final String ARN = "arn:aws:rds:us-east-1:123456789012:snapshot:orders-db-20261124t093000z-5b1e0c";

    @Inject
    WaitRegistry registry;

    @BeforeEach
    void reset() {
        MotoResource.reset();
    }

    @Test
    void register_thenFind_shouldReturnTheWaitWithExpiry() {
        long before = Instant.now().getEpochSecond();
        registry.register(ARN, "token-1", "run-1", "create-snapshot");

        WaitRegistration w = registry.find(ARN).orElseThrow();

        assertThat(w.resourceArn()).isEqualTo(ARN);
        assertThat(w.taskToken()).isEqualTo("token-1");
        assertThat(w.replicationId()).isEqualTo("run-1");
        assertThat(w.step()).isEqualTo("create-snapshot");
        // default TTL: 48 hours
        assertThat(w.expiresAt()).isBetween(before + Duration.ofHours(48).toSeconds() - 5,
                Instant.now().getEpochSecond() + Duration.ofHours(48).toSeconds() + 5);
        assertThat(registry.find(ARN.replace("5b1e0c", "000000"))).isEmpty();
    }

    @Test
    void longTaskToken_shouldBeStoredWhole() {
        String token = "A".repeat(2048);
        registry.register(ARN, token, "run-1", "create-snapshot");

        assertThat(registry.find(ARN).orElseThrow().taskToken()).isEqualTo(token);
    }

    @Test
    void restore_shouldPutTheClaimedWaitBackOnlyWhileTheKeyIsFree() {
        WaitRegistration w = registry.register(ARN, "token-1", "run-1", "create-snapshot");
        assertThat(registry.claim(w)).isTrue();

        assertThat(registry.restore(w)).isTrue();
        assertThat(registry.find(ARN)).contains(w);

        registry.register(ARN, "token-2", "run-1", "create-snapshot");
        assertThat(registry.restore(w)).isFalse();
        assertThat(registry.find(ARN).orElseThrow().taskToken()).isEqualTo("token-2");
    }

    @Test
    void claim_shouldSucceedExactlyOnce() {
        WaitRegistration w = registry.register(ARN, "token-1", "run-1", "create-snapshot");

        assertThat(registry.claim(w)).isTrue();
        assertThat(registry.claim(w)).isFalse();
        assertThat(registry.find(ARN)).isEmpty();
    }

    @Test
    void concurrentClaims_shouldHaveExactlyOneWinner() throws Exception {
        WaitRegistration w = registry.register(ARN, "token-1", "run-1", "create-snapshot");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return registry.claim(w);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claimWithOldToken_afterReArm_shouldFail() {
        WaitRegistration old = registry.register(ARN, "token-1", "run-1", "create-snapshot");
        registry.register(ARN, "token-2", "run-1", "create-snapshot");

        assertThat(registry.claim(old)).isFalse();
        assertThat(registry.find(ARN).orElseThrow().taskToken()).isEqualTo("token-2");
    }

    @Test
    void registerByAnotherReplication_shouldConflictAndKeepTheFirstWait() {
        registry.register(ARN, "token-1", "run-1", "create-snapshot");

        assertThatThrownBy(() -> registry.register(ARN, "token-x", "run-2", "create-snapshot"))
                .isInstanceOf(WaitConflictException.class).hasMessageContaining(ARN);
        WaitRegistration kept = registry.find(ARN).orElseThrow();
        assertThat(kept.taskToken()).isEqualTo("token-1");
        assertThat(kept.replicationId()).isEqualTo("run-1");
    }

    @Test
    void release_shouldOnlyRemoveTheOwnersWait() {
        registry.register(ARN, "token-1", "run-1", "create-snapshot");

        registry.release(ARN, "run-2");
        assertThat(registry.find(ARN)).isPresent();

        registry.release(ARN, "run-1");
        assertThat(registry.find(ARN)).isEmpty();

        registry.release(ARN, "run-1"); // nothing left: no error
    }

    @Test
    void expiredWait_shouldBeTreatedAsAbsent() {
        try (DynamoDbClient d = MotoResource.dynamo()) {
            d.putItem(r -> r.tableName(MotoResource.WAIT_TABLE).item(Map.of(
                    "resourceArn", AttributeValue.fromS(ARN), "taskToken", AttributeValue.fromS("token-old"),
                    "replicationId", AttributeValue.fromS("run-1"), "step", AttributeValue.fromS("create-snapshot"),
                    "expiresAt", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 60)))));
        }

        assertThat(registry.find(ARN)).isEmpty();
    }

    @Test
    void expiredWaitOfAnotherReplication_shouldNotBlockANewOne() {
        try (DynamoDbClient d = MotoResource.dynamo()) {
            d.putItem(r -> r.tableName(MotoResource.WAIT_TABLE).item(Map.of(
                    "resourceArn", AttributeValue.fromS(ARN), "taskToken", AttributeValue.fromS("token-old"),
                    "replicationId", AttributeValue.fromS("run-1"), "step", AttributeValue.fromS("create-snapshot"),
                    "expiresAt", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 60)))));
        }

        registry.register(ARN, "token-new", "run-2", "create-snapshot");

        assertThat(registry.find(ARN)).map(WaitRegistration::replicationId).contains("run-2");
    }
}
