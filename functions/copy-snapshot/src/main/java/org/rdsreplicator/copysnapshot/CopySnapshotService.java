package org.rdsreplicator.copysnapshot;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.wait.CopyHeadroom;
import org.rdsreplicator.common.wait.CopyKind;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * Copies the source snapshot into a shareable copy encrypted with the stack's customer-managed key.
 * The copy's name is the source's name plus {@code -share}, so calling again for the same replication
 * (a Retry, or a re-armed wait after a timeout) adopts the copy already started instead of failing or
 * starting a second one; a copy with that name belonging to another replication is never touched.
 */
@ApplicationScoped
public class CopySnapshotService {
    static final String STEP = "copy-snapshot";
    static final String SUFFIX = Identifiers.SHAREABLE_COPY_SUFFIX;
    private static final Logger LOG = Logger.getLogger(CopySnapshotService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;
    private final CopySnapshotConfig config;
    private final CopyHeadroom headroom;
    private final CopyClusterSnapshot clusters;

    public CopySnapshotService(RdsClient rds, RdsResources resources, WaitedStart waited, CopySnapshotConfig config,
            CopyHeadroom headroom) {
        this.clusters = new CopyClusterSnapshot(rds, resources, waited, headroom);
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
        this.config = config;
        this.headroom = headroom;
    }

    public SnapshotInfo copy(CopySnapshotRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and sourceSnapshotArn is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        if (req.sourceSnapshotArn() != null && RdsArn.parse(req.sourceSnapshotArn()).isClusterSnapshot()) {
            return clusters.copy(RdsArn.parse(req.sourceSnapshotArn()), replicationId, kmsKeyArn(), req.taskToken());
        }
        RdsArn sourceArn = RdsArn.requireSnapshot("sourceSnapshotArn", req.sourceSnapshotArn());
        String kmsKeyArn = kmsKeyArn();

        // Same account and Region: Describe and Copy take the identifier (a cross-Region copy would take the ARN).
        DBSnapshot source = resources.snapshot(sourceArn.identifier())
                .orElseThrow(() -> new SnapshotNotFoundException("source snapshot " + sourceArn + " does not exist"));
        String targetId = Identifiers.withSuffix(source.dbSnapshotIdentifier(), SUFFIX);
        RdsArn targetArn = sourceArn.sibling(RdsArn.SNAPSHOT, targetId);

        Optional<DBSnapshot> existing = resources.snapshot(targetId);
        if (existing.isPresent()) {
            adopt(existing.get(), replicationId);
        } else if (!"available".equals(source.status())) {
            throw new ResourceBusyException("source snapshot " + source.dbSnapshotIdentifier() + " is "
                    + source.status() + ", not available");
        } else {
            // A new copy needs a free copy slot (CopyQuotaExceededException: the state machine waits for headroom).
            headroom.require(CopyKind.INSTANCE, targetArn.accountId(), targetArn.region(), replicationId);
        }

        DBSnapshot copy = waited.run(targetArn.toString(), req.taskToken(), replicationId, STEP, existing, () -> {
            DBSnapshot started = start(source, targetId, replicationId, kmsKeyArn);
            headroom.started(CopyKind.INSTANCE, targetArn.accountId(), targetArn.region(), replicationId);
            return started;
        });
        return SnapshotInfo.of(copy);
    }

    private DBSnapshot start(DBSnapshot source, String targetId, String replicationId, String kmsKeyArn) {
        String sourceInstance = source.dbInstanceIdentifier();
        try {
            // KmsKeyId always: encrypts an unencrypted source and re-encrypts one under aws/rds or another key.
            DBSnapshot s = rds.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(source.dbSnapshotIdentifier())
                    .targetDBSnapshotIdentifier(targetId).kmsKeyId(kmsKeyArn).copyTags(true)
                    .tags(Tags.managed(replicationId, sourceInstance, Tags.KIND_SHAREABLE_COPY))).dbSnapshot();
            LOG.infof("copying snapshot %s to %s (%s source) for replication %s", source.dbSnapshotIdentifier(),
                    targetId, Boolean.TRUE.equals(source.encrypted()) ? "encrypted" : "unencrypted", replicationId);
            return s;
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot copy " + source.dbSnapshotIdentifier() + " to " + targetId);
        }
    }

    private void adopt(DBSnapshot s, String replicationId) {
        waited.requireOwnedBy(s.dbSnapshotArn(), "snapshot " + s.dbSnapshotIdentifier(), replicationId);
        LOG.infof("adopting copy %s already started by replication %s", s.dbSnapshotIdentifier(), replicationId);
    }

    private String kmsKeyArn() {
        String key = config.kmsKeyArn().filter(k -> !k.isBlank())
                .orElseThrow(() -> new ConfigurationException("REPLICATOR_KMS_KEY_ARN (replicator.kms-key-arn) "
                        + "is not set: copy-snapshot re-encrypts every copy with the stack's customer-managed key"));
        try {
            if ("kms".equals(Arn.fromString(key).service())) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigurationException("replicator.kms-key-arn '" + key + "' is not a KMS key or alias ARN");
    }
}
