package org.rdsreplicator.common.logging;

import java.util.function.Supplier;

import org.jboss.logging.MDC;

/**
 * Puts the replication id on every log line written while a step works for it (the JSON console
 * format carries MDC entries as fields), so one query finds a replication's lines in every function
 * of both accounts. Task tokens and secret values are never put here.
 */
public final class ReplicationLog {
    /** The MDC key, and so the JSON field name under {@code mdc}. */
    public static final String KEY = "replicationId";

    private ReplicationLog() {
    }

    /** Runs {@code work} with {@code replicationId} in the MDC (nothing is added when it is null). */
    public static <T> T with(String replicationId, Supplier<T> work) {
        try (Scope ignored = open(replicationId)) {
            return work.get();
        }
    }

    /**
     * Puts {@code replicationId} in the MDC until the returned scope is closed, which restores what was
     * there before (nothing is added when it is null or blank).
     */
    public static Scope open(String replicationId) {
        if (replicationId == null || replicationId.isBlank()) {
            return () -> {
            };
        }
        Object previous = MDC.get(KEY);
        MDC.put(KEY, replicationId);
        return () -> {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        };
    }

    /** An MDC entry for the duration of a try-with-resources block. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
