package org.rdsreplicator.common.wait;

import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;

/**
 * Starts, or adopts, RDS work that a task token waits for, in the one order that loses no event:
 * register the wait, start the work (and release the wait if starting fails, so no token points at
 * a resource that will never exist), then settle at once in case RDS is already done before any event
 * could find the token. Shared by every step that waits (snapshot, copies, restore).
 */
@ApplicationScoped
public class WaitedStart {
    private final WaitRegistry waits;
    private final WaitCompleter completer;
    private final RdsResources resources;

    public WaitedStart(WaitRegistry waits, WaitCompleter completer, RdsResources resources) {
        this.waits = waits;
        this.completer = completer;
        this.resources = resources;
    }

    /**
     * @param resourceArn the resource the task waits for (known before it exists: names are derived)
     * @param taskToken   null when invoked without a token (then nothing is registered or settled)
     * @param existing    the resource a previous attempt of this replication already started, adopted as is
     * @param start       starts the RDS work; its exception propagates after the wait is released
     */
    public <T> T run(String resourceArn, String taskToken, String replicationId, String step, Optional<T> existing,
            Supplier<T> start) {
        if (taskToken != null) {
            waits.register(resourceArn, taskToken, replicationId, step);
        }
        T result;
        if (existing.isPresent()) {
            result = existing.get();
        } else {
            try {
                result = start.get();
            } catch (RuntimeException e) {
                if (taskToken != null) {
                    waits.release(resourceArn, replicationId);
                }
                throw e;
            }
        }
        if (taskToken != null) {
            completer.settle(resourceArn, true);
        }
        return result;
    }

    /**
     * Checks that a resource found under a derived name belongs to {@code replicationId} before it is
     * adopted; anything else with that name is never touched.
     *
     * @throws WaitConflictException when it carries another (or no) replication id
     */
    public void requireOwnedBy(String resourceArn, String name, String replicationId) {
        String owner = Tags.value(resources.tags(resourceArn), Tags.REPLICATION_ID).orElse(null);
        if (!replicationId.equals(owner)) {
            throw new WaitConflictException(name + " exists but does not belong to replication " + replicationId);
        }
    }
}
