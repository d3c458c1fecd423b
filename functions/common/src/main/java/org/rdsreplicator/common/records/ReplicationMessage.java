package org.rdsreplicator.common.records;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The versioned message the source account publishes to the replication topic when a snapshot is
 * shared, and the destination account's start-restore consumes. Bump {@link #CURRENT_SCHEMA_VERSION}
 * on any incompatible change; consumers reject versions they do not know.
 * <p>
 * {@code optionGroupName} (the shared snapshot's option group) was added to schema 1 as an optional field:
 * a destination in another Region needs it to tell whether its copy must name an option group. A message
 * without it (an older source) is still valid.
 */
@RegisterForReflection
public record ReplicationMessage(Integer schemaVersion, String replicationId, String sourceAccount, String sourceRegion,
        String sourceInstance, String engine, String engineVersion, String snapshotArn, String kmsKeyArn,
        String createdAt, String optionGroupName) {

    public static final int CURRENT_SCHEMA_VERSION = 1;

    /** SNS message attribute names a subscriber can filter on. */
    public static final String ATTR_SCHEMA_VERSION = "schemaVersion";
    public static final String ATTR_SOURCE_ACCOUNT = "sourceAccount";
    public static final String ATTR_SOURCE_INSTANCE = "sourceInstance";
    public static final String ATTR_EVENT = "event";
    public static final String EVENT_SNAPSHOT_SHARED = "snapshot-shared";
}
