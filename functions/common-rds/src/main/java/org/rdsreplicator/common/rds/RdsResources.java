package org.rdsreplicator.common.rds;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.rdsreplicator.common.naming.RdsArn;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Describe calls and the reading of RDS states, shared by the steps and the event router so that
 * "done", "failed" and "not yet" mean the same everywhere.
 */
@ApplicationScoped
public class RdsResources {
    /** Snapshot statuses after which a snapshot will never become available. */
    static final Set<String> SNAPSHOT_FAILED = Set.of("failed", "incompatible-restore", "incompatible-parameters",
            "deleted", "deleting");
    /**
     * Instance statuses after which a new instance will not become usable without an operator: a wait on an
     * instance in one of these ends at once with ResourceFailedException instead of waiting for its timeout.
     */
    static final Set<String> INSTANCE_FAILED = Set.of("failed", "incompatible-restore", "incompatible-parameters",
            "insufficient-capacity", "incompatible-credentials",
            "incompatible-network", "incompatible-option-group", "inaccessible-encryption-credentials",
            "inaccessible-encryption-credentials-recoverable", "restore-error", "storage-full", "deleting",
            "deleted");

    /** Aurora cluster statuses after which a new cluster will not become usable without an operator. */
    static final Set<String> CLUSTER_FAILED = Set.of("failed", "incompatible-restore", "incompatible-parameters",
            "incompatible-network", "inaccessible-encryption-credentials",
            "inaccessible-encryption-credentials-recoverable", "deleting", "deleted");

    private final RdsClient rds;

    public RdsResources(RdsClient rds) {
        this.rds = rds;
    }

    public Optional<DBSnapshot> snapshot(String identifier) {
        try {
            List<DBSnapshot> found = rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(identifier)).dbSnapshots();
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        } catch (DbSnapshotNotFoundException e) {
            return Optional.empty();
        }
    }

    public Optional<DBInstance> instance(String identifier) {
        try {
            List<DBInstance> found = rds.describeDBInstances(r -> r.dbInstanceIdentifier(identifier)).dbInstances();
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty();
        }
    }

    public Optional<DBClusterSnapshot> clusterSnapshot(String identifier) {
        try {
            List<DBClusterSnapshot> found = rds.describeDBClusterSnapshots(
                    r -> r.dbClusterSnapshotIdentifier(identifier)).dbClusterSnapshots();
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        } catch (DbClusterSnapshotNotFoundException e) {
            return Optional.empty();
        }
    }

    public Optional<DBCluster> cluster(String identifier) {
        try {
            List<DBCluster> found = rds.describeDBClusters(r -> r.dbClusterIdentifier(identifier)).dbClusters();
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        } catch (DbClusterNotFoundException e) {
            return Optional.empty();
        }
    }

    public List<Tag> tags(String arn) {
        return rds.listTagsForResource(r -> r.resourceName(arn)).tagList();
    }

    /** The state of the resource behind {@code arn}, read with one Describe call. */
    public ResourceState state(RdsArn arn) {
        if (arn.isSnapshot()) {
            return snapshot(arn.identifier()).map(ResourceState::of).orElse(ResourceState.gone(arn.toString()));
        }
        if (arn.isInstance()) {
            return instance(arn.identifier()).map(ResourceState::of).orElse(ResourceState.gone(arn.toString()));
        }
        if (arn.isClusterSnapshot()) {
            return clusterSnapshot(arn.identifier()).map(ResourceState::of).orElse(ResourceState.gone(arn.toString()));
        }
        if (arn.isCluster()) {
            return cluster(arn.identifier()).map(ResourceState::of).orElse(ResourceState.gone(arn.toString()));
        }
        throw new IllegalArgumentException("unsupported RDS resource type " + arn.type());
    }
}
