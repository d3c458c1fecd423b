package org.rdsreplicator.common.testing;

import java.util.ArrayList;
import java.util.List;

import org.rdsreplicator.common.errors.PromotionInProgressException;
import org.rdsreplicator.common.wait.PromotionLock;

/** The promotion lock's contract without DynamoDB (the DynamoDB one is held to it by a moto test). */
public class InMemoryPromotionLock extends PromotionLock {
    public volatile String owner;
    public final List<String> events = new ArrayList<>();

    public InMemoryPromotionLock() {
        super(null, null, null, null);
    }

    @Override
    public synchronized void acquire(String who) {
        if (owner != null && !owner.equals(who)) {
            events.add("refused " + who);
            throw new PromotionInProgressException(owner + " is promoting");
        }
        owner = who;
        events.add("acquired " + who);
    }

    @Override
    public synchronized void release(String who) {
        if (who.equals(owner)) {
            owner = null;
            events.add("released " + who);
        }
    }
}
