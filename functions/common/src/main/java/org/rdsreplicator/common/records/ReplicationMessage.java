package org.rdsreplicator.common.records;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The versioned message the source account publishes to the replication topic when a snapshot is
 * shared, and the destination account's start-restore consumes. Bump {@link #CURRENT_SCHEMA_VERSION}
 * on any incompatible change; consumers reject versions they do not know.
 * <p>
 * {@code optionGroupName} (the shared snapshot's option group) was added to schema 1 as an optional field:
 * a destination in another Region needs it to tell whether its copy must name an option group. A message
 * without it (an older source) is still valid.
 * <p>
 * {@code dryRun} (optional, absent in a real run's message) marks the announcement of a dry run: the snapshot
 * named is the one the source would create, it does not exist, and a destination runs its preflight and plan
 * only. A destination built before the marker existed ignores it and tries a real copy, which fails with
 * {@code SnapshotNotFoundException} having created nothing: update destinations before using dry runs.
 * <p>
 * {@code sourceCluster} and {@code engineMode} (optional, absent for an instance) announce an Aurora cluster's
 * snapshot: {@code sourceCluster} is the source DB cluster ({@code sourceInstance} is then null),
 * {@code engineMode} is {@value #ENGINE_MODE_PROVISIONED} or {@value #ENGINE_MODE_SERVERLESS_V2}, and
 * {@code snapshotArn} is a {@code cluster-snapshot} ARN.
 */
@RegisterForReflection
public record ReplicationMessage(Integer schemaVersion, String replicationId, String sourceAccount, String sourceRegion,
        String sourceInstance, String engine, String engineVersion, String snapshotArn, String kmsKeyArn,
        String createdAt, String optionGroupName, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun,
        @JsonInclude(JsonInclude.Include.NON_NULL) String sourceCluster,
        @JsonInclude(JsonInclude.Include.NON_NULL) String engineMode) {

    public static final int CURRENT_SCHEMA_VERSION = 1;
    /** {@link #engineMode} of a provisioned Aurora cluster. */
    public static final String ENGINE_MODE_PROVISIONED = "provisioned";
    /** {@link #engineMode} of an Aurora Serverless v2 cluster. */
    public static final String ENGINE_MODE_SERVERLESS_V2 = "serverless-v2";

    /** SNS message attribute names a subscriber can filter on. */
    public static final String ATTR_SCHEMA_VERSION = "schemaVersion";
    public static final String ATTR_SOURCE_ACCOUNT = "sourceAccount";
    public static final String ATTR_SOURCE_INSTANCE = "sourceInstance";
    /** The message attribute naming the source cluster of an Aurora cluster's message (instead of sourceInstance). */
    public static final String ATTR_SOURCE_CLUSTER = "sourceCluster";
    public static final String ATTR_EVENT = "event";
    public static final String EVENT_SNAPSHOT_SHARED = "snapshot-shared";
    /** The {@link #ATTR_EVENT} of a dry run's announcement. */
    public static final String EVENT_DRY_RUN = "dry-run";

    /** A message about a DB instance (no cluster fields), with or without the dry-run marker. */
    public ReplicationMessage(Integer schemaVersion, String replicationId, String sourceAccount, String sourceRegion,
            String sourceInstance, String engine, String engineVersion, String snapshotArn, String kmsKeyArn,
            String createdAt, String optionGroupName, Boolean dryRun) {
        this(schemaVersion, replicationId, sourceAccount, sourceRegion, sourceInstance, engine, engineVersion,
                snapshotArn, kmsKeyArn, createdAt, optionGroupName, dryRun, null, null);
    }


    /** An Aurora cluster's message, real or dry run (dryRun null in a real run). */
    public static ReplicationMessage ofCluster(String replicationId, String sourceAccount, String sourceRegion,
            String sourceCluster, String engineMode, String engine, String engineVersion, String snapshotArn,
            String kmsKeyArn, String createdAt, Boolean dryRun) {
        return new ReplicationMessage(CURRENT_SCHEMA_VERSION, replicationId, sourceAccount, sourceRegion, null, engine,
                engineVersion, snapshotArn, kmsKeyArn, createdAt, null, dryRun, sourceCluster, engineMode);
    }

    /** A real run's message (no dry-run marker). */
    public ReplicationMessage(Integer schemaVersion, String replicationId, String sourceAccount, String sourceRegion,
            String sourceInstance, String engine, String engineVersion, String snapshotArn, String kmsKeyArn,
            String createdAt, String optionGroupName) {
        this(schemaVersion, replicationId, sourceAccount, sourceRegion, sourceInstance, engine, engineVersion,
                snapshotArn, kmsKeyArn, createdAt, optionGroupName, null, null, null);
    }

    /** A real run's message from a source that does not name the snapshot's option group. */
    public ReplicationMessage(Integer schemaVersion, String replicationId, String sourceAccount, String sourceRegion,
            String sourceInstance, String engine, String engineVersion, String snapshotArn, String kmsKeyArn,
            String createdAt) {
        this(schemaVersion, replicationId, sourceAccount, sourceRegion, sourceInstance, engine, engineVersion,
                snapshotArn, kmsKeyArn, createdAt, null, null, null, null);
    }

    /** True when this message announces an Aurora DB cluster (its snapshot is a cluster snapshot). */
    public boolean announcesCluster() {
        return sourceCluster != null;
    }

    /** The source database's identifier: the cluster's for a cluster, else the instance's. */
    public String sourceIdentifier() {
        return announcesCluster() ? sourceCluster : sourceInstance;
    }

    /** True when this message announces a dry run. */
    public boolean announcesDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

}
