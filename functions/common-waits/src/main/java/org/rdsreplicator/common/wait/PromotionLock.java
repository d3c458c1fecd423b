package org.rdsreplicator.common.wait;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.config.SecretConfig;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.errors.PromotionInProgressException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One promotion at a time per database secret: a run takes the lock before it switches the secret and
 * releases it when its retention step has finished (or its failure path ran), so two runs never interleave
 * their switch and prune steps. Kept in the wait table under the key {@code promotion-lock:<secret ARN>} (with
 * per-database secrets, the secret of the source database in {@link SecretScope}: databases promote in parallel);
 * the owner is the run's id, so a retried step re-takes its own lock. A lock whose holder vanished (an
 * execution stopped by hand) expires after {@link #HOLD}.
 */
@ApplicationScoped
public class PromotionLock {
    /** Longest a run may hold the lock: switch plus retention take seconds; retries take minutes. */
    public static final Duration HOLD = Duration.ofMinutes(30);
    static final String PREFIX = "promotion-lock:";
    private static final Logger LOG = Logger.getLogger(PromotionLock.class);

    private final DynamoDbClient dynamo;
    private final WaitsConfig waits;
    private final SecretConfig secret;
    private final Clock clock;

    public PromotionLock(DynamoDbClient dynamo, WaitsConfig waits, SecretConfig secret, Clock clock) {
        this.dynamo = dynamo;
        this.waits = waits;
        this.secret = secret;
        this.clock = clock;
    }

    /**
     * Takes (or renews) the lock for {@code owner}.
     *
     * @throws PromotionInProgressException while another run holds it (retried by the state machine)
     */
    public void acquire(String owner) {
        long now = clock.instant().getEpochSecond();
        long expiresAt = now + HOLD.toSeconds();
        try {
            dynamo.putItem(r -> r.tableName(waits.table())
                    .item(Map.of(WaitRegistry.KEY, key(), "owner", s(owner),
                            "expiresAt", AttributeValue.fromN(Long.toString(expiresAt))))
                    .conditionExpression("attribute_not_exists(#k) OR #o = :me OR expiresAt < :now")
                    .expressionAttributeNames(Map.of("#k", WaitRegistry.KEY, "#o", "owner"))
                    .expressionAttributeValues(Map.of(":me", s(owner),
                            ":now", AttributeValue.fromN(Long.toString(now)))));
        } catch (ConditionalCheckFailedException e) {
            throw new PromotionInProgressException("another run is promoting a copy for the secret "
                    + secretArn() + "; " + owner + " waits for it to finish");
        }
        LOG.infof("promotion lock taken by %s", owner);
    }

    /** Releases the lock if {@code owner} holds it; does nothing otherwise (never frees another run's lock). */
    public void release(String owner) {
        try {
            dynamo.deleteItem(r -> r.tableName(waits.table()).key(Map.of(WaitRegistry.KEY, key()))
                    .conditionExpression("#o = :me")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":me", s(owner))));
            LOG.infof("promotion lock released by %s", owner);
        } catch (ConditionalCheckFailedException e) {
            LOG.debugf("promotion lock not held by %s: nothing to release", owner);
        }
    }

    private AttributeValue key() {
        return s(PREFIX + secretArn());
    }

    /** The secret the promotion is for: the stack's, or the per-database secret of the source in scope. */
    private String secretArn() {
        return SecretScope.secretId(secret);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
