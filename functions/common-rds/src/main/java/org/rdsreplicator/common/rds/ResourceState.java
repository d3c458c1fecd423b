package org.rdsreplicator.common.rds;

import org.rdsreplicator.common.records.ClusterInfo;
import org.rdsreplicator.common.records.InstanceInfo;
import org.rdsreplicator.common.records.SnapshotInfo;

import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * What a Describe call says about a resource a step waits for.
 *
 * @param phase       {@link Phase#DONE}, {@link Phase#FAILED}, {@link Phase#GONE} or {@link Phase#PENDING}
 * @param status      the RDS status string (null when gone)
 * @param description the compact description to send as task output (null when gone)
 */
public record ResourceState(Phase phase, String status, Object description, String arn) {

    public enum Phase {
        DONE, FAILED, GONE, PENDING
    }

    static ResourceState of(DBSnapshot s) {
        String st = s.status();
        Phase p = "available".equals(st) ? Phase.DONE
                : RdsResources.SNAPSHOT_FAILED.contains(st) ? Phase.FAILED : Phase.PENDING;
        return new ResourceState(p, st, SnapshotInfo.of(s), s.dbSnapshotArn());
    }

    /**
     * An instance is done when it is {@code available} with no master password pending: a reset
     * (ModifyDBInstance with MasterUserPassword) is asynchronous, and until it is in effect the new password
     * does not log in, even while the status still reads {@code available}.
     */
    static ResourceState of(DBInstance i) {
        String st = i.dbInstanceStatus();
        Phase p = "available".equals(st) && !passwordPending(i) ? Phase.DONE
                : RdsResources.INSTANCE_FAILED.contains(st) ? Phase.FAILED : Phase.PENDING;
        return new ResourceState(p, st, InstanceInfo.of(i), i.dbInstanceArn());
    }

    /** An Aurora cluster snapshot (a created or a copied one): done when {@code available}. */
    static ResourceState of(DBClusterSnapshot s) {
        String st = s.status();
        Phase p = "available".equals(st) ? Phase.DONE
                : RdsResources.SNAPSHOT_FAILED.contains(st) ? Phase.FAILED : Phase.PENDING;
        return new ResourceState(p, st, SnapshotInfo.of(s), s.dbClusterSnapshotArn());
    }

    /**
     * An Aurora cluster is done when it is {@code available} with no master password pending: on Aurora the
     * password belongs to the cluster (ModifyDBCluster), pending in {@code PendingModifiedValues} until in effect.
     */
    static ResourceState of(DBCluster c) {
        String st = c.status();
        Phase p = "available".equals(st) && !passwordPending(c) ? Phase.DONE
                : RdsResources.CLUSTER_FAILED.contains(st) ? Phase.FAILED : Phase.PENDING;
        return new ResourceState(p, st, ClusterInfo.of(c), c.dbClusterArn());
    }

    /** True while a new master password is set on the cluster but not yet in effect. */
    public static boolean passwordPending(DBCluster c) {
        return c.pendingModifiedValues() != null && c.pendingModifiedValues().masterUserPassword() != null;
    }

    /** True while a new master password is set on the instance but not yet in effect. */
    public static boolean passwordPending(DBInstance i) {
        return i.pendingModifiedValues() != null && i.pendingModifiedValues().masterUserPassword() != null;
    }

    static ResourceState gone(String arn) {
        return new ResourceState(Phase.GONE, null, null, arn);
    }

    public boolean isSettled() {
        return phase != Phase.PENDING;
    }
}
