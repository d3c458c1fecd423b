package org.rdsreplicator.common.records;

import io.quarkus.runtime.annotations.RegisterForReflection;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** The compact description of a DB instance that steps return and the event router sends on success. */
@RegisterForReflection
public record InstanceInfo(String dbInstanceArn, String dbInstanceIdentifier, String status, String address,
        Integer port, String engine, String engineVersion, String kmsKeyId, boolean deletionProtection) {

    public static InstanceInfo of(DBInstance i) {
        return new InstanceInfo(i.dbInstanceArn(), i.dbInstanceIdentifier(), i.dbInstanceStatus(),
                i.endpoint() == null ? null : i.endpoint().address(),
                i.endpoint() == null ? null : i.endpoint().port(), i.engine(), i.engineVersion(), i.kmsKeyId(),
                Boolean.TRUE.equals(i.deletionProtection()));
    }
}
