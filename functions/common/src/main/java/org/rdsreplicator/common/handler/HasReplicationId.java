package org.rdsreplicator.common.handler;

/**
 * A step input that names its replication: {@link StepHandler} puts the id in the MDC for the whole
 * invocation. A record with a {@code replicationId} component implements it by declaring it.
 */
public interface HasReplicationId {
    /** The replication id, or null when the input has none (yet). */
    String replicationId();
}
