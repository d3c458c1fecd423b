package org.rdsreplicator.common.wait;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Copy steps waiting for copy-quota headroom, in the wait table: one item per waiting replication under
 * {@code copy-headroom:<account>:<region>:<kind>:<replicationId>}, ordered by its first registration. A
 * re-registration (the wait's timeout re-check) keeps the place in the queue and refreshes the token. Waking
 * marks the item (conditionally: exactly one waker per token) and keeps it until the copy starts.
 */
@ApplicationScoped
public class HeadroomQueue {
    static final String PREFIX = "copy-headroom:";
    /** A waiter not seen again within this time (its execution vanished) no longer counts. */
    public static final Duration WAITING_TTL = Duration.ofHours(2);
    /** A woken waiter whose copy did not start within this time (its run failed) no longer counts. */
    public static final Duration WOKEN_TTL = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(HeadroomQueue.class);

    private final DynamoDbClient dynamo;
    private final WaitsConfig config;
    protected final Clock clock;

    public HeadroomQueue(DynamoDbClient dynamo, WaitsConfig config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    /** The key prefix of one queue. */
    public static String queue(String accountId, String region, CopyKind kind) {
        return PREFIX + accountId + ":" + region + ":" + kind.label() + ":";
    }

    /** Registers (or re-registers, keeping its place) {@code replicationId} in the queue. */
    public HeadroomWaiter register(String queue, String replicationId, String taskToken) {
        String key = queue + replicationId;
        long now = clock.millis();
        long expiresAt = clock.instant().plus(WAITING_TTL).getEpochSecond();
        var item = dynamo.updateItem(r -> r.tableName(config.table())
                .key(Map.of(WaitRegistry.KEY, s(key)))
                .updateExpression("SET taskToken = :t, replicationId = :r, expiresAt = :e, since = if_not_exists(since, :now)"
                        + " REMOVE woken")
                .expressionAttributeValues(Map.of(":t", s(taskToken), ":r", s(replicationId),
                        ":e", n(expiresAt), ":now", n(now)))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
        HeadroomWaiter w = fromItem(item);
        LOG.infof("waiting for copy headroom: %s", w);
        return w;
    }

    /** The live waiters of a queue, oldest first (expired ones left out). */
    public List<HeadroomWaiter> waiters(String queue) {
        List<HeadroomWaiter> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        long now = clock.instant().getEpochSecond();
        do {
            Map<String, AttributeValue> from = start;
            ScanRequest.Builder req = ScanRequest.builder().tableName(config.table()).consistentRead(true)
                    .filterExpression("begins_with(#k, :p)")
                    .expressionAttributeNames(Map.of("#k", WaitRegistry.KEY))
                    .expressionAttributeValues(Map.of(":p", s(queue)));
            if (from != null) {
                req.exclusiveStartKey(from);
            }
            ScanResponse page = dynamo.scan(req.build());
            for (var item : page.items()) {
                HeadroomWaiter w = fromItem(item);
                if (w.expiresAt() >= now) {
                    out.add(w);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        out.sort(Comparator.comparingLong(HeadroomWaiter::since).thenComparing(HeadroomWaiter::key));
        return out;
    }

    /**
     * Marks {@code w} woken if it still holds the same token and nobody woke it: true for exactly one caller.
     */
    public boolean markWoken(HeadroomWaiter w) {
        long expiresAt = clock.instant().plus(WOKEN_TTL).getEpochSecond();
        try {
            dynamo.updateItem(r -> r.tableName(config.table()).key(Map.of(WaitRegistry.KEY, s(w.key())))
                    .updateExpression("SET woken = :yes, expiresAt = :e")
                    .conditionExpression("taskToken = :t AND attribute_not_exists(woken)")
                    .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true), ":e", n(expiresAt),
                            ":t", s(w.taskToken()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Leaves the queue (the replication's copy started, or it gave up). */
    public void remove(String queue, String replicationId) {
        dynamo.deleteItem(r -> r.tableName(config.table()).key(Map.of(WaitRegistry.KEY, s(queue + replicationId))));
    }

    static HeadroomWaiter fromItem(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> i = new HashMap<>(item);
        return new HeadroomWaiter(i.get(WaitRegistry.KEY).s(), str(i, "replicationId"), str(i, "taskToken"),
                num(i, "since", 0), i.containsKey("woken") && Boolean.TRUE.equals(i.get("woken").bool()),
                num(i, "expiresAt", Long.MAX_VALUE));
    }

    private static String str(Map<String, AttributeValue> item, String k) {
        return item.containsKey(k) ? item.get(k).s() : null;
    }

    private static long num(Map<String, AttributeValue> item, String k, long otherwise) {
        return item.containsKey(k) && item.get(k).n() != null ? Long.parseLong(item.get(k).n()) : otherwise;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
