package org.rdsreplicator.common.rds;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.rdsreplicator.common.naming.Tags;

import org.rdsreplicator.common.naming.RdsArn;

import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * A snapshot, DB instance or Aurora DB cluster this system made, as listed by {@link ManagedResources}. It cannot be built
 * for a resource without {@code rds-replicator:managed-by=rds-replicator}: nothing else can reach a
 * {@link DeletionPlan}.
 *
 * @param kind               what it is in the flow
 * @param id                 the DB snapshot or DB instance identifier
 * @param arn                its ARN
 * @param status             the RDS status when listed
 * @param created            SnapshotCreateTime or InstanceCreateTime (null while RDS has none yet)
 * @param deletionProtection instances: deletion protection is on
 * @param tags               its tags, key to value
 */
public record ManagedResource(Kind kind, String id, String arn, String status, Instant created,
        boolean deletionProtection, Map<String, String> tags) {

    public ManagedResource {
        if (!Tags.MANAGED_BY_VALUE.equals(tags.get(Tags.MANAGED_BY))) {
            throw new IllegalArgumentException(arn + " is not tagged " + Tags.MANAGED_BY + "=" + Tags.MANAGED_BY_VALUE);
        }
        tags = Map.copyOf(tags);
    }

    static ManagedResource of(DBSnapshot s, Collection<Tag> tags) {
        Map<String, String> t = map(tags);
        return new ManagedResource(Kind.ofSnapshot(t.get(Tags.KIND)), s.dbSnapshotIdentifier(), s.dbSnapshotArn(),
                s.status(), s.snapshotCreateTime(), false, t);
    }

    static ManagedResource of(DBClusterSnapshot s, Collection<Tag> tags) {
        Map<String, String> t = map(tags);
        return new ManagedResource(Kind.ofSnapshot(t.get(Tags.KIND)), s.dbClusterSnapshotIdentifier(),
                s.dbClusterSnapshotArn(), s.status(), s.snapshotCreateTime(), false, t);
    }

    static ManagedResource of(DBInstance i, Collection<Tag> tags) {
        return new ManagedResource(Kind.RESTORED_INSTANCE, i.dbInstanceIdentifier(), i.dbInstanceArn(),
                i.dbInstanceStatus(), i.instanceCreateTime(), Boolean.TRUE.equals(i.deletionProtection()), map(tags));
    }

    static ManagedResource of(DBCluster c, Collection<Tag> tags) {
        return new ManagedResource(Kind.RESTORED_CLUSTER, c.dbClusterIdentifier(), c.dbClusterArn(), c.status(),
                c.clusterCreateTime(), Boolean.TRUE.equals(c.deletionProtection()), map(tags));
    }

    private static Map<String, String> map(Collection<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value() == null ? "" : t.value()));
        return m;
    }

    public Optional<String> tag(String key) {
        return Optional.ofNullable(tags.get(key));
    }

    public Optional<String> replicationId() {
        return tag(Tags.REPLICATION_ID);
    }

    /** True when tagged with {@code replicationId}. */
    public boolean belongsTo(String replicationId) {
        return replicationId != null && replicationId.equals(tags.get(Tags.REPLICATION_ID));
    }

    /** True when its {@link Tags#ROLE} is {@code role}. */
    public boolean hasRole(String role) {
        return role.equals(tags.get(Tags.ROLE));
    }

    public boolean isInstance() {
        return kind == Kind.RESTORED_INSTANCE;
    }

    /** True for an Aurora DB cluster snapshot (its ARN's type is {@code cluster-snapshot}). */
    public boolean isClusterSnapshot() {
        return arn != null && arn.contains(":" + RdsArn.CLUSTER_SNAPSHOT + ":");
    }

    /** True for an Aurora DB cluster (deleted after its instances, with the same rules as an instance). */
    public boolean isCluster() {
        return kind == Kind.RESTORED_CLUSTER;
    }

    public boolean isAvailable() {
        return "available".equals(status);
    }
}
