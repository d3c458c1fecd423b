package org.rdsreplicator.common.testing;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.wait.WaitRegistration;
import org.rdsreplicator.common.wait.WaitRegistry;

/**
 * The wait registry's contract without DynamoDB, for unit tests of services. The DynamoDB
 * implementation is held to the same contract by {@code WaitRegistryMotoTest}.
 */
public class InMemoryWaits extends WaitRegistry {
    public final Map<String, WaitRegistration> items = new ConcurrentHashMap<>();

    public InMemoryWaits() {
        super(null, null, Clock.systemUTC());
    }

    @Override
    public synchronized WaitRegistration register(String resourceArn, String taskToken, String replicationId,
            String step) {
        WaitRegistration old = items.get(resourceArn);
        if (old != null && !old.replicationId().equals(replicationId)
                && old.expiresAt() >= java.time.Instant.now().getEpochSecond()) {
            throw new WaitConflictException("another replication already waits on " + resourceArn);
        }
        WaitRegistration w = new WaitRegistration(resourceArn, taskToken, replicationId, step, Long.MAX_VALUE);
        items.put(resourceArn, w);
        return w;
    }

    @Override
    public Optional<WaitRegistration> find(String resourceArn) {
        return Optional.ofNullable(items.get(resourceArn));
    }

    @Override
    public synchronized boolean claim(WaitRegistration expected) {
        WaitRegistration cur = items.get(expected.resourceArn());
        if (cur == null || !cur.taskToken().equals(expected.taskToken())) {
            return false;
        }
        items.remove(expected.resourceArn());
        return true;
    }

    @Override
    public synchronized boolean restore(WaitRegistration claimed) {
        return items.putIfAbsent(claimed.resourceArn(), claimed) == null;
    }

    @Override
    public synchronized void release(String resourceArn, String replicationId) {
        WaitRegistration cur = items.get(resourceArn);
        if (cur != null && cur.replicationId().equals(replicationId)) {
            items.remove(resourceArn);
        }
    }
}
