package org.rdsreplicator.common.wait;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.WaitConflictException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Task tokens waiting for RDS resources, in DynamoDB (table key {@code resourceArn}, TTL attribute
 * {@code expiresAt}). Every write is conditional:
 * <ul>
 * <li>{@link #register} only replaces a wait of the same replication (a re-armed wait gets a fresh
 * token) or an expired one, never a live wait of another replication;</li>
 * <li>{@link #claim} deletes the item only if it still holds the token that was read, so among
 * duplicate or concurrent events exactly one claim wins and at most one task success is sent;</li>
 * <li>{@link #restore} puts a claimed wait back only while the key is free, so it never overwrites a
 * wait registered since.</li>
 * </ul>
 */
@ApplicationScoped
public class WaitRegistry {
    private static final Logger LOG = Logger.getLogger(WaitRegistry.class);
    static final String KEY = "resourceArn";

    private final DynamoDbClient dynamo;
    private final WaitsConfig config;
    private final Clock clock;

    public WaitRegistry(DynamoDbClient dynamo, WaitsConfig config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Stores the token for {@code resourceArn}.
     *
     * @throws WaitConflictException when another replication already waits on that resource
     */
    public WaitRegistration register(String resourceArn, String taskToken, String replicationId, String step) {
        long expiresAt = clock.instant().plus(Duration.ofHours(config.ttlHours())).getEpochSecond();
        WaitRegistration w = new WaitRegistration(resourceArn, taskToken, replicationId, step, expiresAt);
        try {
            dynamo.putItem(r -> r.tableName(table()).item(toItem(w))
                    .conditionExpression("attribute_not_exists(#k) OR replicationId = :rid OR expiresAt < :now")
                    .expressionAttributeNames(Map.of("#k", KEY))
                    .expressionAttributeValues(Map.of(":rid", s(replicationId), ":now",
                            AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond())))));
        } catch (ConditionalCheckFailedException e) {
            throw new WaitConflictException("another replication already waits on " + resourceArn);
        }
        LOG.infof("registered wait %s", w);
        return w;
    }

    /** The wait registered for {@code resourceArn}, if any (expired items are treated as absent). */
    public Optional<WaitRegistration> find(String resourceArn) {
        var item = dynamo.getItem(r -> r.tableName(table()).key(Map.of(KEY, s(resourceArn))).consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        WaitRegistration w = fromItem(item);
        return w.expiresAt() < clock.instant().getEpochSecond() ? Optional.empty() : Optional.of(w);
    }

    /**
     * Removes the wait if it still holds {@code expected}'s token. Returns true for exactly one caller
     * per registration: the one allowed to complete the task.
     */
    public boolean claim(WaitRegistration expected) {
        try {
            DeleteItemResponse resp = dynamo.deleteItem(r -> r.tableName(table())
                    .key(Map.of(KEY, s(expected.resourceArn())))
                    .conditionExpression("taskToken = :t")
                    .expressionAttributeValues(Map.of(":t", s(expected.taskToken())))
                    .returnValues(ReturnValue.ALL_OLD));
            return resp.hasAttributes() && !resp.attributes().isEmpty();
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Puts back exactly {@code claimed} (same token, replication, step and expiry) after its completion
     * could not be sent, so the next event or the step's timeout path can complete it. Only while no
     * wait is registered for the resource: a newer registration wins.
     *
     * @return true when it was put back
     */
    public boolean restore(WaitRegistration claimed) {
        try {
            dynamo.putItem(r -> r.tableName(table()).item(toItem(claimed))
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", KEY)));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        LOG.infof("restored wait %s", claimed);
        return true;
    }

    /** Drops the wait of {@code replicationId} on {@code resourceArn} (when the RDS call that follows it failed). */
    public void release(String resourceArn, String replicationId) {
        try {
            dynamo.deleteItem(r -> r.tableName(table()).key(Map.of(KEY, s(resourceArn)))
                    .conditionExpression("replicationId = :rid")
                    .expressionAttributeValues(Map.of(":rid", s(replicationId))));
        } catch (ConditionalCheckFailedException e) {
            // Not ours (or already gone): nothing to release.
        }
    }

    private String table() {
        return config.table();
    }

    private static Map<String, AttributeValue> toItem(WaitRegistration w) {
        return Map.of(KEY, s(w.resourceArn()), "taskToken", s(w.taskToken()), "replicationId", s(w.replicationId()),
                "step", s(w.step()), "expiresAt", AttributeValue.fromN(Long.toString(w.expiresAt())));
    }

    private static WaitRegistration fromItem(Map<String, AttributeValue> item) {
        return new WaitRegistration(item.get(KEY).s(), item.get("taskToken").s(), str(item, "replicationId"),
                str(item, "step"), item.containsKey("expiresAt") ? Long.parseLong(item.get("expiresAt").n()) : Long.MAX_VALUE);
    }

    private static String str(Map<String, AttributeValue> item, String k) {
        return item.containsKey(k) ? item.get(k).s() : null;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
