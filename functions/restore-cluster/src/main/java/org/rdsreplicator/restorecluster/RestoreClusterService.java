package org.rdsreplicator.restorecluster;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.ClusterInfo;
import org.rdsreplicator.common.secret.ClusterSwitch;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DbClusterAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Restores a new Aurora DB cluster straight from the cluster snapshot the source account shared: Aurora restores a
 * shared encrypted cluster snapshot by its ARN, re-encrypting it with this account's key ({@code KmsKeyId}), so no
 * local copy is made. Only within the snapshot's Region (RDS does not restore a cluster snapshot across Regions;
 * preflight-destination refuses such a message before anything is created). The current cluster (the one the secret
 * names) is left untouched; switch-endpoint moves the secret later.
 * <p>
 * The cluster is named {@code <source cluster>-<snapshot time>-<hash of the replication id>}, so a retry finds the
 * cluster already being restored and adopts it (after checking its replication-id tag).
 */
@ApplicationScoped
public class RestoreClusterService {
    static final String STEP = "restore-cluster";
    static final Set<String> ENGINES = Set.of("aurora-postgresql", "aurora-mysql");
    static final String SERVERLESS_V2 = "serverless-v2";
    private static final Logger LOG = Logger.getLogger(RestoreClusterService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;
    private final SecretStore secrets;
    private final RestoreClusterConfig settings;
    private final Supplier<String> ownRegion;

    @Inject
    public RestoreClusterService(RdsClient rds, RdsResources resources, WaitedStart waited, SecretStore secrets,
            RestoreClusterConfig settings) {
        this(rds, resources, waited, secrets, settings, RestoreClusterService::regionOfThisFunction);
    }

    RestoreClusterService(RdsClient rds, RdsResources resources, WaitedStart waited, SecretStore secrets,
            RestoreClusterConfig settings, Supplier<String> ownRegion) {
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
        this.secrets = secrets;
        this.settings = settings;
        this.ownRegion = ownRegion;
    }

    public ClusterInfo restore(RestoreClusterRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId, snapshotArn, sourceCluster, engine and "
                    + "createdAt is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String sourceCluster = Identifiers.requireValid("sourceCluster", req.sourceCluster());
        RdsArn snapshot = RdsArn.requireClusterSnapshot("snapshotArn", req.snapshotArn());
        if (req.engine() == null || !ENGINES.contains(req.engine())) {
            throw new InvalidInputException("engine '" + req.engine() + "' is not an Aurora engine " + ENGINES);
        }
        Instant snapshotTime = instant(req.createdAt());
        boolean serverless = SERVERLESS_V2.equals(req.engineMode());
        String kmsKey = settings.kmsKeyArn().filter(k -> !k.isBlank()).orElseThrow(() -> new ConfigurationException(
                "REPLICATOR_RESTORE_KMS_KEY_ARN is not set: the restored cluster is encrypted with this account's key"));
        String account = settings.accountId().filter(a -> !a.isBlank()).orElseThrow(() -> new ConfigurationException(
                "REPLICATOR_RESTORE_ACCOUNT_ID is not set: the cluster's ARN must be known before the restore starts"));
        String region = ownRegion.get();
        if (!region.equals(snapshot.region())) {
            throw new ConfigurationException("cluster snapshot " + snapshot + " is in " + snapshot.region()
                    + ", this destination in " + region + ": RDS does not restore a cluster snapshot across Regions; "
                    + "deploy the destination stack in " + snapshot.region());
        }

        return SecretScope.forCluster(sourceCluster, () -> {
            // Before anything is restored: without a readable secret the new cluster could never be switched to. With
            // per-database secrets, a cluster's first restore has none yet: it is created below, once RDS has named
            // the cluster's master user.
            boolean firstOfItsDatabase = secrets.perDatabase() && !secrets.exists();
            String current = firstOfItsDatabase ? null : ClusterSwitch.currentTarget(secrets.readOrRefuse());

            String clusterId = Identifiers.forReplication(sourceCluster, snapshotTime, replicationId);
            RdsArn clusterArn = new RdsArn(snapshot.partition(), region, account, RdsArn.CLUSTER, clusterId);

            Optional<DBCluster> existing = resources.cluster(clusterId);
            existing.ifPresent(c -> adopt(c, clusterArn, replicationId));

            DBCluster cluster = waited.run(clusterArn.toString(), req.taskToken(), replicationId, STEP, existing,
                    () -> start(req, snapshot, snapshotTime, clusterId, clusterArn, kmsKey, serverless, replicationId,
                            sourceCluster, current));
            // Its password is set on the new cluster by reset-password; a failure here fails the step, and the failure
            // path deletes the cluster this run restored.
            if (secrets.createIfMissing(cluster.masterUsername(), cluster.engine() == null ? req.engine()
                    : cluster.engine(), settings.secretKmsKeyArn().orElse(null))) {
                LOG.infof("created the database secret %s for cluster %s", secrets.secretArn(), sourceCluster);
            }
            return ClusterInfo.of(cluster);
        });
    }

    private static Instant instant(String createdAt) {
        try {
            return Instant.parse(createdAt);
        } catch (RuntimeException e) {
            throw new InvalidInputException("createdAt '" + createdAt + "' is not an ISO-8601 instant");
        }
    }

    private DBCluster start(RestoreClusterRequest req, RdsArn snapshot, Instant snapshotTime, String clusterId,
            RdsArn clusterArn, String kmsKey, boolean serverless, String replicationId, String sourceCluster,
            String current) {
        List<Tag> tags = new ArrayList<>(Tags.managedCluster(replicationId, sourceCluster));
        // Which data the cluster holds: promotion compares it with the current cluster's (never back in time).
        tags.add(Tags.tag(Tags.SNAPSHOT_TIME, snapshotTime.toString()));
        tags.add(Tags.tag(Tags.SOURCE_ACCOUNT, snapshot.accountId()));
        if (current != null) {
            tags.add(Tags.tag(Tags.REPLACES, current));
        }
        try {
            DBCluster c = rds.restoreDBClusterFromSnapshot(r -> {
                // A shared snapshot is named by its full ARN; a plain identifier would be looked up in this account.
                r.dbClusterIdentifier(clusterId).snapshotIdentifier(snapshot.toString()).engine(req.engine())
                        .kmsKeyId(kmsKey).deletionProtection(settings.deletionProtection()).copyTagsToSnapshot(true)
                        .tags(tags);
                if (req.engineVersion() != null && !req.engineVersion().isBlank()) {
                    r.engineVersion(req.engineVersion());
                }
                if (serverless) {
                    r.serverlessV2ScalingConfiguration(s -> s.minCapacity(settings.serverlessMinCapacity())
                            .maxCapacity(settings.serverlessMaxCapacity()));
                }
                settings.subnetGroup().filter(v -> !v.isBlank()).ifPresent(r::dbSubnetGroupName);
                settings.securityGroupIds().filter(v -> !v.isEmpty()).ifPresent(r::vpcSecurityGroupIds);
            }).dbCluster();
            LOG.infof("restoring cluster %s (%s%s) from %s for replication %s; current %s", clusterId, req.engine(),
                    serverless ? ", Serverless v2" : "", snapshot, replicationId, current);
            return c;
        } catch (DbClusterAlreadyExistsException e) {
            // Another attempt of this step started it between our Describe and the restore: adopt it if ours.
            DBCluster c = resources.cluster(clusterId).orElseThrow(() -> e);
            adopt(c, clusterArn, replicationId);
            return c;
        } catch (AwsServiceException e) {
            throw ClusterRestoreErrors.translate(e, "cannot restore cluster " + clusterId + " from " + snapshot);
        }
    }

    private void adopt(DBCluster c, RdsArn clusterArn, String replicationId) {
        String arn = c.dbClusterArn() == null ? clusterArn.toString() : c.dbClusterArn();
        waited.requireOwnedBy(arn, "DB cluster " + c.dbClusterIdentifier(), replicationId);
        LOG.infof("adopting cluster %s already restored by replication %s (status %s)", c.dbClusterIdentifier(),
                replicationId, c.status());
    }

    private static String regionOfThisFunction() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new ConfigurationException("cannot tell this function's Region: set AWS_REGION", e);
        }
    }
}
