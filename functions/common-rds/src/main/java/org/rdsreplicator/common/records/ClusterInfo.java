package org.rdsreplicator.common.records;

import io.quarkus.runtime.annotations.RegisterForReflection;
import software.amazon.awssdk.services.rds.model.DBCluster;

/**
 * The compact description of an Aurora DB cluster that steps return and the event router sends on success.
 * {@code endpoint} is the writer endpoint (what the database secret names); {@code readerEndpoint} balances over
 * the replicas.
 */
@RegisterForReflection
public record ClusterInfo(String dbClusterArn, String dbClusterIdentifier, String status, String endpoint,
        String readerEndpoint, Integer port, String engine, String engineVersion, String kmsKeyId,
        boolean storageEncrypted, boolean deletionProtection) {

    public static ClusterInfo of(DBCluster c) {
        return new ClusterInfo(c.dbClusterArn(), c.dbClusterIdentifier(), c.status(), c.endpoint(),
                c.readerEndpoint(), c.port(), c.engine(), c.engineVersion(), c.kmsKeyId(),
                Boolean.TRUE.equals(c.storageEncrypted()), Boolean.TRUE.equals(c.deletionProtection()));
    }
}
