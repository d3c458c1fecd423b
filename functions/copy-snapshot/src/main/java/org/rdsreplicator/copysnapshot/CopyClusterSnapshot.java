package org.rdsreplicator.copysnapshot;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.UnencryptedClusterException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.wait.CopyHeadroom;
import org.rdsreplicator.common.wait.CopyKind;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * Copies an Aurora cluster snapshot into the shareable copy ({@code <snapshot>-share}), re-encrypted with the
 * stack's ReplicationKey ({@code CopyDBClusterSnapshot} with {@code KmsKeyId}), tagged like an instance's copy.
 * <p>
 * RDS sends no event when a cluster-snapshot copy finishes, so nothing but this step completes the wait: each
 * invocation registers the token and Describes the copy (WaitedStart settles it when {@code available}); the state
 * machine invokes the step again after every wait timeout (a shorter one than the other waits), and the next
 * invocation adopts the copy and Describes again. Aurora cannot encrypt during a copy: an unencrypted source is
 * refused before anything is created.
 */
class CopyClusterSnapshot {
    private static final Logger LOG = Logger.getLogger(CopyClusterSnapshot.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;
    private final CopyHeadroom headroom;

    CopyClusterSnapshot(RdsClient rds, RdsResources resources, WaitedStart waited, CopyHeadroom headroom) {
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
        this.headroom = headroom;
    }

    SnapshotInfo copy(RdsArn sourceArn, String replicationId, String kmsKeyArn, String taskToken) {
        DBClusterSnapshot source = resources.clusterSnapshot(sourceArn.identifier())
                .orElseThrow(() -> new SnapshotNotFoundException("source cluster snapshot " + sourceArn
                        + " does not exist"));
        String targetId = Identifiers.withSuffix(source.dbClusterSnapshotIdentifier(), CopySnapshotService.SUFFIX);
        RdsArn targetArn = sourceArn.sibling(RdsArn.CLUSTER_SNAPSHOT, targetId);

        Optional<DBClusterSnapshot> existing = resources.clusterSnapshot(targetId);
        if (existing.isPresent()) {
            waited.requireOwnedBy(existing.get().dbClusterSnapshotArn(), "cluster snapshot " + targetId, replicationId);
            LOG.infof("adopting cluster snapshot copy %s already started by replication %s (%s, %s%%)", targetId,
                    replicationId, existing.get().status(), existing.get().percentProgress());
        } else {
            if (!Boolean.TRUE.equals(source.storageEncrypted())) {
                throw new UnencryptedClusterException("cluster snapshot " + source.dbClusterSnapshotIdentifier()
                        + " is not encrypted: Aurora cannot encrypt a cluster snapshot while copying it; replicate an "
                        + "encrypted cluster (nothing was created)");
            }
            if (!"available".equals(source.status())) {
                throw new ResourceBusyException("source cluster snapshot " + source.dbClusterSnapshotIdentifier()
                        + " is " + source.status() + ", not available");
            }
            // A new copy needs a free cluster copy slot (5 per Region: CopyQuotaExceededException waits for headroom).
            headroom.require(CopyKind.CLUSTER, targetArn.accountId(), targetArn.region(), replicationId);
        }
        DBClusterSnapshot copy = waited.run(targetArn.toString(), taskToken, replicationId, CopySnapshotService.STEP,
                existing, () -> {
                    DBClusterSnapshot started = start(source, targetId, replicationId, kmsKeyArn);
                    headroom.started(CopyKind.CLUSTER, targetArn.accountId(), targetArn.region(), replicationId);
                    return started;
                });
        return SnapshotInfo.of(copy);
    }

    private DBClusterSnapshot start(DBClusterSnapshot source, String targetId, String replicationId, String kmsKeyArn) {
        String sourceCluster = source.dbClusterIdentifier();
        try {
            DBClusterSnapshot s = rds.copyDBClusterSnapshot(r -> r
                    .sourceDBClusterSnapshotIdentifier(source.dbClusterSnapshotIdentifier())
                    .targetDBClusterSnapshotIdentifier(targetId).kmsKeyId(kmsKeyArn).copyTags(true)
                    .tags(Tags.managedCluster(replicationId, sourceCluster, Tags.KIND_SHAREABLE_COPY)))
                    .dbClusterSnapshot();
            LOG.infof("copying cluster snapshot %s to %s for replication %s (no RDS event: the step's timeout "
                    + "re-invocation Describes it)", source.dbClusterSnapshotIdentifier(), targetId, replicationId);
            return s;
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot copy " + source.dbClusterSnapshotIdentifier() + " to " + targetId);
        }
    }
}
