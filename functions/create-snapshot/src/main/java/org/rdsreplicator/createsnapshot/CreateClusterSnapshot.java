package org.rdsreplicator.createsnapshot;

import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ClusterNotAvailableException;
import org.rdsreplicator.common.errors.ClusterNotFoundException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * Takes a manual cluster snapshot of a source Aurora cluster ({@code CreateDBClusterSnapshot}), named and tagged as
 * an instance's snapshot (tag {@code source-cluster} instead of {@code source-instance}), so a retry adopts it. The
 * wait is on the cluster-snapshot ARN; RDS-EVENT-0075 (manual cluster snapshot created) reaches it through the
 * event router.
 */
class CreateClusterSnapshot {
    private static final Logger LOG = Logger.getLogger(CreateClusterSnapshot.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;

    CreateClusterSnapshot(RdsClient rds, RdsResources resources, WaitedStart waited) {
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
    }

    SnapshotInfo create(String clusterId, Instant at, String replicationId, String taskToken) {
        DBCluster cluster = resources.cluster(clusterId)
                .orElseThrow(() -> new ClusterNotFoundException("DB cluster " + clusterId + " does not exist"));
        String snapshotId = Identifiers.forReplication(clusterId, at, replicationId);
        RdsArn snapshotArn = RdsArn.parse(cluster.dbClusterArn()).sibling(RdsArn.CLUSTER_SNAPSHOT, snapshotId);

        Optional<DBClusterSnapshot> existing = resources.clusterSnapshot(snapshotId);
        if (existing.isPresent()) {
            waited.requireOwnedBy(existing.get().dbClusterSnapshotArn(), "cluster snapshot " + snapshotId,
                    replicationId);
            LOG.infof("adopting cluster snapshot %s already made by replication %s", snapshotId, replicationId);
        } else if (!"available".equals(cluster.status())) {
            throw new ClusterNotAvailableException("DB cluster " + clusterId + " is " + cluster.status()
                    + ", not available");
        }
        DBClusterSnapshot snapshot = waited.run(snapshotArn.toString(), taskToken, replicationId,
                CreateSnapshotService.STEP, existing, () -> start(clusterId, snapshotId, replicationId));
        return SnapshotInfo.of(snapshot);
    }

    private DBClusterSnapshot start(String clusterId, String snapshotId, String replicationId) {
        try {
            DBClusterSnapshot s = rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier(clusterId)
                    .dbClusterSnapshotIdentifier(snapshotId)
                    .tags(Tags.managedCluster(replicationId, clusterId, Tags.KIND_SOURCE_SNAPSHOT))).dbClusterSnapshot();
            LOG.infof("creating cluster snapshot %s of %s for replication %s", snapshotId, clusterId, replicationId);
            return s;
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot snapshot DB cluster " + clusterId);
        }
    }
}
