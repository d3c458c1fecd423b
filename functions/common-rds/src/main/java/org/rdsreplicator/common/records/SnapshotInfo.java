package org.rdsreplicator.common.records;

import io.quarkus.runtime.annotations.RegisterForReflection;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * The compact description of a DB snapshot that steps return and the event router sends as task
 * success output (kept small: Step Functions payloads are limited to 256 KiB). The same record describes an
 * Aurora DB cluster snapshot: then {@code dbClusterIdentifier} is set and {@code dbInstanceIdentifier} is null.
 */
@RegisterForReflection
public record SnapshotInfo(String snapshotArn, String snapshotIdentifier, String status, String dbInstanceIdentifier,
        String engine, String engineVersion, boolean encrypted, String kmsKeyId, String createdAt,
        String dbClusterIdentifier) {

    public static SnapshotInfo of(DBSnapshot s) {
        return new SnapshotInfo(s.dbSnapshotArn(), s.dbSnapshotIdentifier(), s.status(), s.dbInstanceIdentifier(),
                s.engine(), s.engineVersion(), Boolean.TRUE.equals(s.encrypted()), s.kmsKeyId(),
                s.snapshotCreateTime() == null ? null : s.snapshotCreateTime().toString(), null);
    }

    public static SnapshotInfo of(DBClusterSnapshot s) {
        return new SnapshotInfo(s.dbClusterSnapshotArn(), s.dbClusterSnapshotIdentifier(), s.status(), null,
                s.engine(), s.engineVersion(), Boolean.TRUE.equals(s.storageEncrypted()), s.kmsKeyId(),
                s.snapshotCreateTime() == null ? null : s.snapshotCreateTime().toString(), s.dbClusterIdentifier());
    }

    /** True when this describes a DB cluster snapshot. */
    public boolean isClusterSnapshot() {
        return dbClusterIdentifier != null;
    }
}
