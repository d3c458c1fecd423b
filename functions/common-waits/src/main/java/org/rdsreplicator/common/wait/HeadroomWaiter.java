package org.rdsreplicator.common.wait;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A copy step waiting for a free copy slot of its account, Region and kind.
 *
 * @param key           the item's key in the wait table ({@code copy-headroom:<account>:<region>:<kind>:<replication>})
 * @param replicationId the waiting replication
 * @param taskToken     the token of its {@code wait for headroom} task (never logged)
 * @param since         epoch milliseconds of its first registration: the queue's order (oldest first)
 * @param woken         true once a settled copy (or its own re-check) sent it on; it then holds its place until
 *                      its copy starts, so a younger waiter does not take the slot meant for it
 * @param expiresAt     epoch seconds after which the entry no longer counts (a vanished execution)
 */
@RegisterForReflection
public record HeadroomWaiter(String key, String replicationId, String taskToken, long since, boolean woken,
        long expiresAt) {

    @Override
    public String toString() {
        return "HeadroomWaiter[key=" + key + ", since=" + since + ", woken=" + woken + "]";
    }
}
