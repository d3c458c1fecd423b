package org.rdsreplicator.common.records;

import io.quarkus.runtime.annotations.RegisterForReflection;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * The compact description of a DB snapshot that steps return and the event router sends as task
 * success output (kept small: Step Functions payloads are limited to 256 KiB).
 */
@RegisterForReflection
public record SnapshotInfo(String snapshotArn, String snapshotIdentifier, String status, String dbInstanceIdentifier,
        String engine, String engineVersion, boolean encrypted, String kmsKeyId, String createdAt) {

    public static SnapshotInfo of(DBSnapshot s) {
        return new SnapshotInfo(s.dbSnapshotArn(), s.dbSnapshotIdentifier(), s.status(), s.dbInstanceIdentifier(),
                s.engine(), s.engineVersion(), Boolean.TRUE.equals(s.encrypted()), s.kmsKeyId(),
                s.snapshotCreateTime() == null ? null : s.snapshotCreateTime().toString());
    }
}
