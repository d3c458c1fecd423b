package org.rdsreplicator.common.testing;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.rdsreplicator.common.wait.CopyQuotaConfig;
import org.rdsreplicator.common.wait.HeadroomQueue;
import org.rdsreplicator.common.wait.HeadroomWaiter;

/** The headroom queue's contract without DynamoDB, for unit tests (the DynamoDB one is tested against moto). */
public class InMemoryHeadroomQueue extends HeadroomQueue {
    public final Map<String, HeadroomWaiter> items = new ConcurrentHashMap<>();
    private long tick;

    public InMemoryHeadroomQueue() {
        super(null, null, Clock.systemUTC());
    }

    /** Copy quotas for a test. */
    public record Quotas(int instance, int cluster) implements CopyQuotaConfig {
    }

    @Override
    public synchronized HeadroomWaiter register(String queue, String replicationId, String taskToken) {
        String key = queue + replicationId;
        HeadroomWaiter old = items.get(key);
        HeadroomWaiter w = new HeadroomWaiter(key, replicationId, taskToken, old == null ? ++tick : old.since(), false,
                Long.MAX_VALUE);
        items.put(key, w);
        return w;
    }

    @Override
    public List<HeadroomWaiter> waiters(String queue) {
        return items.values().stream().filter(w -> w.key().startsWith(queue))
                .sorted(Comparator.comparingLong(HeadroomWaiter::since)).toList();
    }

    @Override
    public synchronized boolean markWoken(HeadroomWaiter w) {
        HeadroomWaiter cur = items.get(w.key());
        if (cur == null || cur.woken() || !cur.taskToken().equals(w.taskToken())) {
            return false;
        }
        items.put(w.key(), new HeadroomWaiter(cur.key(), cur.replicationId(), cur.taskToken(), cur.since(), true,
                cur.expiresAt()));
        return true;
    }

    @Override
    public void remove(String queue, String replicationId) {
        items.remove(queue + replicationId);
    }
}
