package org.rdsreplicator.notifydestination;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.records.ReplicationMessageValidator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Announces a shared snapshot to the destination account(s): builds the replication message from the
 * snapshot's own description (engine, version, KMS key, creation time) and the ARN (source account
 * and Region), checks it with {@link ReplicationMessageValidator} (what start-restore will check) and
 * publishes it to the replication topic. A message that would be rejected is not published
 * ({@code InvalidMessageException}).
 */
@ApplicationScoped
public class NotifyDestinationService {
    private static final Logger LOG = Logger.getLogger(NotifyDestinationService.class);

    private final RdsResources resources;
    private final SnsClient sns;
    private final ObjectMapper json;
    private final NotifyDestinationConfig config;

    public NotifyDestinationService(RdsResources resources, SnsClient sns, ObjectMapper json,
            NotifyDestinationConfig config) {
        this.resources = resources;
        this.sns = sns;
        this.json = json;
        this.config = config;
    }

    public NotifyResult notify(NotifyRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and snapshotArn is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        if (req.dryRunMessage() != null) {
            return announceDryRun(replicationId, req.dryRunMessage());
        }
        if (req.snapshotArn() != null && RdsArn.parse(req.snapshotArn()).isClusterSnapshot()) {
            return announceCluster(replicationId, RdsArn.parse(req.snapshotArn()), req);
        }
        RdsArn arn = RdsArn.requireSnapshot("snapshotArn", req.snapshotArn());
        if (req.sourceInstance() != null) {
            Identifiers.requireValid("sourceInstance", req.sourceInstance());
        }
        String topicArn = topicArn();

        DBSnapshot s = resources.snapshot(arn.identifier())
                .orElseThrow(() -> new SnapshotNotFoundException("snapshot " + arn + " does not exist"));
        if (!"available".equals(s.status())) {
            throw new ResourceBusyException("snapshot " + s.dbSnapshotIdentifier() + " is " + s.status()
                    + ", not available: the destination could not copy it yet");
        }
        if (!Boolean.TRUE.equals(s.encrypted()) || s.kmsKeyId() == null) {
            throw new InvalidInputException("snapshot " + s.dbSnapshotIdentifier() + " is not encrypted: only the "
                    + "copy re-encrypted with the stack's KMS key is announced");
        }
        String createdAt = Optional.ofNullable(s.snapshotCreateTime()).or(() -> Optional.ofNullable(
                s.originalSnapshotCreateTime())).map(Instant::toString)
                .orElseThrow(() -> new ResourceBusyException("snapshot " + s.dbSnapshotIdentifier()
                        + " reports no creation time yet"));
        String sourceInstance = req.sourceInstance() != null ? req.sourceInstance() : s.dbInstanceIdentifier();

        ReplicationMessage message = new ReplicationMessage(ReplicationMessage.CURRENT_SCHEMA_VERSION, replicationId,
                arn.accountId(), arn.region(), sourceInstance, s.engine(), s.engineVersion(),
                s.dbSnapshotArn() != null ? s.dbSnapshotArn() : arn.toString(), s.kmsKeyId(), createdAt,
                s.optionGroupName());
        // Announce nothing the destination would reject: the same checks start-restore applies on receipt.
        ReplicationMessageValidator.validate(message, arn.accountId(), arn.region());
        String messageId = publish(topicArn, message);
        LOG.infof("announced snapshot %s of replication %s on %s (message %s)", message.snapshotArn(),
                replicationId, topicArn, messageId);
        return new NotifyResult(messageId, message);
    }

    /**
     * An Aurora cluster's shared copy: the message names the cluster ({@code sourceCluster}, {@code engineMode}) and
     * the cluster-snapshot ARN, from the cluster snapshot's own description.
     */
    private NotifyResult announceCluster(String replicationId, RdsArn arn, NotifyRequest req) {
        if (req.sourceInstance() != null) {
            throw new InvalidInputException("sourceInstance is set with a cluster-snapshot ARN: a cluster's message "
                    + "names sourceCluster");
        }
        if (req.sourceCluster() != null) {
            Identifiers.requireValid("sourceCluster", req.sourceCluster());
        }
        String topicArn = topicArn();
        DBClusterSnapshot s = resources.clusterSnapshot(arn.identifier())
                .orElseThrow(() -> new SnapshotNotFoundException("cluster snapshot " + arn + " does not exist"));
        if (!"available".equals(s.status())) {
            throw new ResourceBusyException("cluster snapshot " + s.dbClusterSnapshotIdentifier() + " is " + s.status()
                    + ", not available: the destination could not restore it yet");
        }
        if (!Boolean.TRUE.equals(s.storageEncrypted()) || s.kmsKeyId() == null) {
            throw new InvalidInputException("cluster snapshot " + s.dbClusterSnapshotIdentifier() + " is not "
                    + "encrypted: only the copy re-encrypted with the stack's KMS key is announced");
        }
        String createdAt = Optional.ofNullable(s.snapshotCreateTime()).map(Instant::toString)
                .orElseThrow(() -> new ResourceBusyException("cluster snapshot " + s.dbClusterSnapshotIdentifier()
                        + " reports no creation time yet"));
        String sourceCluster = req.sourceCluster() != null ? req.sourceCluster() : s.dbClusterIdentifier();
        ReplicationMessage message = ReplicationMessage.ofCluster(replicationId, arn.accountId(), arn.region(),
                sourceCluster, req.engineMode(), s.engine(), s.engineVersion(),
                s.dbClusterSnapshotArn() != null ? s.dbClusterSnapshotArn() : arn.toString(), s.kmsKeyId(), createdAt,
                null);
        ReplicationMessageValidator.validate(message, arn.accountId(), arn.region());
        String messageId = publish(topicArn, message);
        LOG.infof("announced cluster snapshot %s of replication %s (cluster %s, %s) on %s (message %s)",
                message.snapshotArn(), replicationId, sourceCluster, req.engineMode(), topicArn, messageId);
        return new NotifyResult(messageId, message);
    }

    /**
     * A dry run's announcement: the message preflight-source planned (its snapshot does not exist), checked like
     * any other and marked {@code event=dry-run}.
     */
    private NotifyResult announceDryRun(String replicationId, ReplicationMessage m) {
        if (!m.announcesDryRun() || !replicationId.equals(m.replicationId())) {
            throw new InvalidInputException("dryRunMessage must carry dryRun=true and replicationId " + replicationId);
        }
        String topicArn = topicArn();
        RdsArn arn = m.announcesCluster()
                ? RdsArn.requireClusterSnapshot("dryRunMessage.snapshotArn", m.snapshotArn())
                : RdsArn.requireSnapshot("dryRunMessage.snapshotArn", m.snapshotArn());
        ReplicationMessageValidator.validate(m, arn.accountId(), arn.region());
        String messageId = publish(topicArn, m);
        LOG.infof("announced the dry run of replication %s on %s (message %s): nothing was created", replicationId,
                topicArn, messageId);
        return new NotifyResult(messageId, m);
    }

    private String publish(String topicArn, ReplicationMessage m) {
        PublishRequest request = PublishRequest.builder().topicArn(topicArn).message(toJson(m))
                .messageAttributes(Map.of(
                        ReplicationMessage.ATTR_SCHEMA_VERSION, number(m.schemaVersion()),
                        ReplicationMessage.ATTR_SOURCE_ACCOUNT, string(m.sourceAccount()),
                        // An Aurora cluster's message names the cluster under its own attribute.
                        m.announcesCluster() ? ReplicationMessage.ATTR_SOURCE_CLUSTER
                                : ReplicationMessage.ATTR_SOURCE_INSTANCE, string(m.sourceIdentifier()),
                        ReplicationMessage.ATTR_EVENT, string(m.announcesDryRun() ? ReplicationMessage.EVENT_DRY_RUN
                                : ReplicationMessage.EVENT_SNAPSHOT_SHARED)))
                .build();
        try {
            return sns.publish(request).messageId();
        } catch (NotFoundException e) {
            throw new ConfigurationException("replication topic " + topicArn + " does not exist", e);
        } catch (AwsServiceException e) {
            // SNS's own throttling types (Throttled, KMSThrottling) are transient too: AwsFailures knows them.
            throw AwsFailures.translate(e, "cannot publish to " + topicArn);
        }
    }

    private String topicArn() {
        String topic = config.replicationTopicArn().filter(t -> !t.isBlank())
                .orElseThrow(() -> new ConfigurationException("REPLICATOR_REPLICATION_TOPIC_ARN "
                        + "(replicator.replication-topic-arn) is not set"));
        try {
            if ("sns".equals(Arn.fromString(topic).service())) {
                return topic;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigurationException("replicator.replication-topic-arn '" + topic + "' is not an SNS topic ARN");
    }

    private String toJson(ReplicationMessage m) {
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the replication message", e);
        }
    }

    private static MessageAttributeValue string(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }

    private static MessageAttributeValue number(int v) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(v)).build();
    }
}
