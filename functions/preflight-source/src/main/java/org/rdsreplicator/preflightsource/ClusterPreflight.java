package org.rdsreplicator.preflightsource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ClusterNotAvailableException;
import org.rdsreplicator.common.errors.ClusterNotFoundException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;
import org.rdsreplicator.common.errors.UnencryptedClusterException;
import org.rdsreplicator.common.errors.UnsupportedEngineException;
import org.rdsreplicator.common.kms.KeyCheck;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.AccountQuotas;
import org.rdsreplicator.common.rds.AccountQuotas.Quota;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.Kind;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.rds.SnapshotRetention;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.records.ReplicationMessageValidator;

import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;

/**
 * The source preflight of an Aurora cluster ({@code dbClusterIdentifier}), in a fixed order: the cluster exists
 * and is {@code available}; its engine is Aurora MySQL or Aurora PostgreSQL, provisioned or Serverless v2
 * (Serverless v1 and other engine modes are refused); it is encrypted (Aurora cannot encrypt while copying, see
 * {@link UnencryptedClusterException}); the account has room for two more manual cluster snapshots; the
 * ReplicationKey is usable. Reads only. A dry run also plans, as for an instance.
 */
class ClusterPreflight {
    private static final Logger LOG = Logger.getLogger(ClusterPreflight.class);
    static final Set<String> SUPPORTED_ENGINES = Set.of("aurora-mysql", "aurora-postgresql");
    /** The instance class of an Aurora Serverless v2 instance. */
    static final String SERVERLESS_CLASS = "db.serverless";

    private final RdsResources resources;
    private final AccountQuotas quotas;
    private final ManagedResources managed;
    private final KeyCheck keys;
    private final PreflightSourceConfig config;

    ClusterPreflight(RdsResources resources, AccountQuotas quotas, ManagedResources managed, KeyCheck keys,
            PreflightSourceConfig config) {
        this.resources = resources;
        this.quotas = quotas;
        this.managed = managed;
        this.keys = keys;
        this.config = config;
    }

    SourcePreflightReport check(PreflightSourceRequest req) {
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String clusterId = Identifiers.requireValid("dbClusterIdentifier", req.dbClusterIdentifier());
        Instant requestedAt = PreflightSourceService.requestedAt(req.requestedAt());
        boolean dryRun = Boolean.TRUE.equals(req.dryRun());

        DBCluster cluster = resources.cluster(clusterId)
                .orElseThrow(() -> new ClusterNotFoundException("DB cluster " + clusterId + " does not exist"));
        if (!"available".equals(cluster.status())) {
            throw new ClusterNotAvailableException("DB cluster " + clusterId + " is " + cluster.status()
                    + ", not available: nothing was started");
        }
        String engineMode = requireSupportedEngine(cluster);
        if (!Boolean.TRUE.equals(cluster.storageEncrypted())) {
            throw new UnencryptedClusterException("DB cluster " + clusterId + " is not encrypted: Aurora cannot "
                    + "encrypt a cluster snapshot while copying it, so no copy encrypted with the ReplicationKey can "
                    + "be shared. Make an encrypted cluster first (snapshot this one, restore the snapshot with "
                    + "StorageEncrypted and a KMS key, move the clients to it) and replicate that cluster; nothing "
                    + "was created");
        }
        Quota snapshots = requireClusterSnapshotRoom();
        String keyArn = config.kmsKeyArn().orElse(null);
        keys.requireUsable(keyArn, "the stack's ReplicationKey (REPLICATOR_KMS_KEY_ARN)");

        RdsArn clusterArn = RdsArn.parse(cluster.dbClusterArn());
        List<String> destinations = config.destinationAccounts().orElse(List.of()).stream().map(String::trim)
                .filter(a -> !a.isEmpty()).toList();
        LOG.infof("preflight of cluster %s passed for replication %s: engine %s %s (%s), manual cluster snapshots %s,"
                + " key %s", clusterId, replicationId, cluster.engine(), cluster.engineVersion(), engineMode,
                snapshots == null ? "not reported" : snapshots.used() + " of " + snapshots.max(), keyArn);
        if (!dryRun) {
            return new SourcePreflightReport(false, replicationId, clusterArn.accountId(), clusterArn.region(), null,
                    cluster.engine(), cluster.engineVersion(), snapshots, keyArn, destinations, null, null, null, null,
                    null, clusterId, engineMode);
        }

        String snapshotId = Identifiers.forReplication(clusterId, requestedAt, replicationId);
        String copyId = Identifiers.withSuffix(snapshotId, Identifiers.SHAREABLE_COPY_SUFFIX);
        RdsArn copyArn = clusterArn.sibling(RdsArn.CLUSTER_SNAPSHOT, copyId);
        DeletionPlan retention = retentionAfter(clusterArn, clusterId, snapshotId, copyId, replicationId);
        ReplicationMessage message = ReplicationMessage.ofCluster(replicationId, clusterArn.accountId(),
                clusterArn.region(), clusterId, engineMode, cluster.engine(), cluster.engineVersion(),
                copyArn.toString(), keyArn, requestedAt.toString(), true);
        ReplicationMessageValidator.validate(message, clusterArn.accountId(), clusterArn.region());
        SourcePreflightReport report = new SourcePreflightReport(true, replicationId, clusterArn.accountId(),
                clusterArn.region(), null, cluster.engine(), cluster.engineVersion(), snapshots, keyArn, destinations,
                snapshotId, copyId, PreflightSourceService.describe(retention.deleted()),
                PreflightSourceService.describe(retention.kept()), message, clusterId, engineMode);
        LOG.infof("dry run %s: would create cluster snapshots %s and %s, share with %s, retention would delete %s",
                replicationId, snapshotId, copyId, destinations, report.retentionWouldDelete());
        return report;
    }

    /** The engine mode the message reports: {@code serverless-v2} or {@code provisioned}; anything else refused. */
    private String requireSupportedEngine(DBCluster cluster) {
        String id = cluster.dbClusterIdentifier();
        String engine = cluster.engine() == null ? "" : cluster.engine().toLowerCase(Locale.ROOT);
        if (!SUPPORTED_ENGINES.contains(engine)) {
            throw new UnsupportedEngineException("DB cluster " + id + " runs engine '" + cluster.engine()
                    + "'; supported: " + String.join(", ", SUPPORTED_ENGINES.stream().sorted().toList())
                    + " (Multi-AZ DB clusters of other engines cannot have their snapshots copied)");
        }
        String mode = cluster.engineMode() == null ? "provisioned" : cluster.engineMode().toLowerCase(Locale.ROOT);
        if ("serverless".equals(mode)) {
            throw new UnsupportedEngineException("DB cluster " + id + " is Aurora Serverless v1 (engine mode "
                    + "serverless): only provisioned and Serverless v2 clusters are replicated");
        }
        if (!"provisioned".equals(mode)) {
            throw new UnsupportedEngineException("DB cluster " + id + " has engine mode '" + cluster.engineMode()
                    + "': only provisioned and Serverless v2 clusters are replicated");
        }
        return isServerlessV2(cluster) ? ReplicationMessage.ENGINE_MODE_SERVERLESS_V2
                : ReplicationMessage.ENGINE_MODE_PROVISIONED;
    }

    /** Serverless v2: the cluster has a ServerlessV2ScalingConfiguration, or its writer's class is db.serverless. */
    private boolean isServerlessV2(DBCluster cluster) {
        if (cluster.serverlessV2ScalingConfiguration() != null) {
            return true;
        }
        return cluster.dbClusterMembers().stream().filter(m -> Boolean.TRUE.equals(m.isClusterWriter()))
                .map(DBClusterMember::dbInstanceIdentifier).findFirst().flatMap(resources::instance)
                .map(i -> SERVERLESS_CLASS.equals(i.dbInstanceClass())).orElse(false);
    }

    private Quota requireClusterSnapshotRoom() {
        Quota q = quotas.quota(AccountQuotas.MANUAL_CLUSTER_SNAPSHOTS).orElse(null);
        if (q == null) {
            LOG.warnf("RDS reports no %s quota: not checked", AccountQuotas.MANUAL_CLUSTER_SNAPSHOTS);
            return null;
        }
        if (!q.fits(PreflightSourceService.SNAPSHOTS_PER_RUN)) {
            throw new SnapshotQuotaExceededException("the account has " + q.used() + " of " + q.max()
                    + " manual DB cluster snapshots in this Region; a replication needs room for "
                    + PreflightSourceService.SNAPSHOTS_PER_RUN);
        }
        return q;
    }

    /** What prune-snapshots would decide after this run, over the cluster's managed cluster snapshots. */
    private DeletionPlan retentionAfter(RdsArn clusterArn, String clusterId, String snapshotId, String copyId,
            String replicationId) {
        List<ManagedResource> snapshots = new ArrayList<>(managed.clusterSnapshotsOf(clusterId));
        snapshots.add(planned(clusterArn, snapshotId, replicationId, clusterId, Tags.KIND_SOURCE_SNAPSHOT));
        snapshots.add(planned(clusterArn, copyId, replicationId, clusterId, Tags.KIND_SHAREABLE_COPY));
        return SnapshotRetention.plan(snapshots, config.snapshotRetentionKeep(), replicationId,
                Instant.now().minus(config.snapshotRetentionHold()));
    }

    private static ManagedResource planned(RdsArn clusterArn, String id, String replicationId, String clusterId,
            String kind) {
        return new ManagedResource(Kind.ofSnapshot(kind), id, clusterArn.sibling(RdsArn.CLUSTER_SNAPSHOT, id).toString(),
                "available", null, false, Tags.asMap(Tags.managedCluster(replicationId, clusterId, kind)));
    }
}
