package org.rdsreplicator.createwriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.CapacityUnavailableException;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InstanceQuotaExceededException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.InstanceInfo;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.InsufficientDbInstanceCapacityException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Creates the writer instance of a cluster restore-cluster made: a restored Aurora cluster has storage and endpoints
 * but no instance to answer on them. The writer is named {@code <cluster>-writer} (so a retry adopts it after checking
 * its replication-id tag), carries the cluster's ownership tags, and is never publicly accessible. Its class is
 * {@code db.serverless} for Serverless v2 (the cluster carries the scaling limits), the configured class otherwise.
 */
@ApplicationScoped
public class CreateWriterService {
    static final String STEP = "create-writer";
    static final String SUFFIX = "writer";
    static final String SERVERLESS_CLASS = "db.serverless";
    private static final Logger LOG = Logger.getLogger(CreateWriterService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;
    private final CreateWriterConfig config;

    public CreateWriterService(RdsClient rds, RdsResources resources, WaitedStart waited, CreateWriterConfig config) {
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
        this.config = config;
    }

    /** The writer's name for a cluster: the same on every attempt. */
    public static String writerId(String clusterId) {
        return Identifiers.withSuffix(clusterId, SUFFIX);
    }

    public InstanceInfo create(CreateWriterRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbClusterIdentifier is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String clusterId = Identifiers.requireValid("dbClusterIdentifier", req.dbClusterIdentifier());
        boolean serverless = "serverless-v2".equals(req.engineMode());
        String instanceClass = serverless ? SERVERLESS_CLASS : config.instanceClass();

        DBCluster cluster = resources.cluster(clusterId)
                .orElseThrow(() -> new InstanceNotFoundException("DB cluster " + clusterId + " does not exist"));
        // Only the cluster this replication restored gets a writer from it.
        waited.requireOwnedBy(cluster.dbClusterArn(), "DB cluster " + clusterId, replicationId);
        List<Tag> clusterTags = resources.tags(cluster.dbClusterArn());

        String writerId = writerId(clusterId);
        RdsArn writerArn = RdsArn.parse(cluster.dbClusterArn()).sibling(RdsArn.DB, writerId);
        Optional<DBInstance> existing = resources.instance(writerId);
        existing.ifPresent(i -> adopt(i, replicationId));

        DBInstance writer = waited.run(writerArn.toString(), req.taskToken(), replicationId, STEP, existing,
                () -> start(cluster, clusterTags, writerId, instanceClass, replicationId));
        return InstanceInfo.of(writer);
    }

    private DBInstance start(DBCluster cluster, List<Tag> clusterTags, String writerId, String instanceClass,
            String replicationId) {
        String sourceCluster = Tags.value(clusterTags, Tags.SOURCE_CLUSTER).orElse(cluster.dbClusterIdentifier());
        List<Tag> tags = new ArrayList<>(Tags.managedCluster(replicationId, sourceCluster));
        Tags.value(clusterTags, Tags.SNAPSHOT_TIME).ifPresent(t -> tags.add(Tags.tag(Tags.SNAPSHOT_TIME, t)));
        try {
            DBInstance i = rds.createDBInstance(r -> r.dbInstanceIdentifier(writerId)
                    .dbClusterIdentifier(cluster.dbClusterIdentifier()).engine(cluster.engine())
                    .dbInstanceClass(instanceClass).publiclyAccessible(false).tags(tags)).dbInstance();
            LOG.infof("creating writer %s (%s) of cluster %s for replication %s", writerId, instanceClass,
                    cluster.dbClusterIdentifier(), replicationId);
            return i;
        } catch (DbInstanceAlreadyExistsException e) {
            DBInstance i = resources.instance(writerId).orElseThrow(() -> e);
            adopt(i, replicationId);
            return i;
        } catch (AwsServiceException e) {
            throw translate(e, "cannot create writer " + writerId + " of cluster " + cluster.dbClusterIdentifier());
        }
    }

    static RuntimeException translate(AwsServiceException e, String what) {
        if (AwsFailures.isTransient(e)) {
            return RdsErrors.translate(e, what);
        }
        String msg = what + ": " + e.awsErrorDetails().errorMessage();
        if (e instanceof InsufficientDbInstanceCapacityException) {
            return new CapacityUnavailableException(msg, e);
        }
        if (e instanceof software.amazon.awssdk.services.rds.model.InstanceQuotaExceededException) {
            return new InstanceQuotaExceededException(msg, e);
        }
        if (e instanceof InvalidDbClusterStateException) {
            return new ResourceBusyException(msg, e);
        }
        if ("InvalidParameterCombination".equals(e.awsErrorDetails().errorCode())
                || "InvalidParameterValue".equals(e.awsErrorDetails().errorCode())) {
            return new ConfigurationException(msg + " (check ClusterInstanceClass)", e);
        }
        return RdsErrors.translate(e, what);
    }

    private void adopt(DBInstance i, String replicationId) {
        waited.requireOwnedBy(i.dbInstanceArn(), "DB instance " + i.dbInstanceIdentifier(), replicationId);
        LOG.infof("adopting writer %s already created by replication %s (status %s)", i.dbInstanceIdentifier(),
                replicationId, i.dbInstanceStatus());
    }
}
