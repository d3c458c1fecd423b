package org.rdsreplicator.copysharedsnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.OptionGroupRequiredException;
import org.rdsreplicator.common.logging.Untrusted;
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
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Copies the snapshot the source account shared with this account into this account, re-encrypted
 * with this account's KMS key. A shared encrypted snapshot cannot be restored directly, and copying
 * it requires a KMS key of the destination account, so the key is mandatory.
 * <p>
 * The copy is named after the shared snapshot ({@code <source snapshot>-local}); the source name
 * carries the replication's time and hash, so a retry of the same replication adopts the copy
 * already made (checked by its replication-id tag) instead of failing or making a second one.
 * <p>
 * Across Regions (the shared snapshot's Region is not this function's) the copy is one step across account
 * and Region, and RDS requires {@code OptionGroupName} when the snapshot has a non-default option group:
 * the configured {@code copyOptionGroup} is passed, and without one such a copy fails before anything is
 * started ({@link OptionGroupRequiredException}).
 */
@ApplicationScoped
public class CopySharedSnapshotService {
    static final String STEP = "copy-shared-snapshot";
    static final String SUFFIX = Identifiers.LOCAL_COPY_SUFFIX;
    /** RDS names the engine's default option groups {@code default:<engine>-<version>}. */
    static final String DEFAULT_OPTION_GROUP_PREFIX = "default:";
    private static final Logger LOG = Logger.getLogger(CopySharedSnapshotService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;
    private final CopySharedSnapshotConfig config;
    private final Supplier<String> ownRegion;
    private final CopyHeadroom headroom;

    @Inject
    public CopySharedSnapshotService(RdsClient rds, RdsResources resources, WaitedStart waited,
            CopySharedSnapshotConfig config, CopyHeadroom headroom) {
        this(rds, resources, waited, config, CopySharedSnapshotService::regionOfThisFunction, headroom);
    }

    CopySharedSnapshotService(RdsClient rds, RdsResources resources, WaitedStart waited,
            CopySharedSnapshotConfig config, Supplier<String> ownRegion, CopyHeadroom headroom) {
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
        this.config = config;
        this.ownRegion = ownRegion;
        this.headroom = headroom;
    }

    public SnapshotInfo copy(CopySharedSnapshotRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId, sourceSnapshotArn and sourceInstance is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String sourceInstance = Identifiers.requireValid("sourceInstance", req.sourceInstance());
        RdsArn source = RdsArn.requireSnapshot("sourceSnapshotArn", req.sourceSnapshotArn());
        String kmsKey = config.kmsKeyArn().filter(k -> !k.isBlank()).orElseThrow(() -> new ConfigurationException(
                "REPLICATOR_KMS_KEY_ARN is not set: a snapshot shared from another account can only be copied "
                        + "with a KMS key of this account"));

        String targetId = Identifiers.withSuffix(source.identifier(), SUFFIX);
        RdsArn target = targetArn(targetId);
        Optional<String> optionGroup = copyOptionGroup(source, target, req.sourceOptionGroup());

        Optional<DBSnapshot> existing = resources.snapshot(targetId);
        existing.ifPresent(s -> adopt(s, replicationId));
        if (existing.isEmpty()) {
            // A new copy needs a free copy slot (CopyQuotaExceededException: the state machine waits for headroom).
            headroom.require(CopyKind.INSTANCE, target.accountId(), target.region(), replicationId);
        }

        DBSnapshot snapshot = waited.run(target.toString(), req.taskToken(), replicationId, STEP, existing, () -> {
            DBSnapshot started = start(source, targetId, target, kmsKey, optionGroup, replicationId, sourceInstance);
            headroom.started(CopyKind.INSTANCE, target.accountId(), target.region(), replicationId);
            return started;
        });
        return SnapshotInfo.of(snapshot);
    }

    /**
     * The option group a cross-Region copy names: the configured one, if any. None for a copy within the
     * Region (it keeps the snapshot's own).
     *
     * @throws OptionGroupRequiredException across Regions, for a non-default source option group and none configured
     */
    private Optional<String> copyOptionGroup(RdsArn source, RdsArn target, String sourceOptionGroup) {
        if (source.region().equals(target.region())) {
            return Optional.empty();
        }
        Optional<String> configured = config.copyOptionGroup().filter(g -> !g.isBlank());
        boolean nonDefault = sourceOptionGroup != null && !sourceOptionGroup.isBlank()
                && !sourceOptionGroup.startsWith(DEFAULT_OPTION_GROUP_PREFIX);
        if (nonDefault && configured.isEmpty()) {
            throw new OptionGroupRequiredException("shared snapshot " + source + " has option group '"
                    + Untrusted.excerpt(sourceOptionGroup) + "'; a copy from " + source.region() + " to "
                    + target.region() + " must name an option group of " + target.region()
                    + ": set the destination stack's CopyOptionGroup (REPLICATOR_COPY_OPTION_GROUP)");
        }
        return configured;
    }

    private DBSnapshot start(RdsArn source, String targetId, RdsArn target, String kmsKey,
            Optional<String> optionGroup, String replicationId, String sourceInstance) {
        try {
            return copyOrAdopt(source, targetId, target, kmsKey, optionGroup, replicationId, sourceInstance);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot copy shared snapshot " + source
                    + " (is it shared with this account, and may this account use its KMS key?)");
        }
    }

    private DBSnapshot copyOrAdopt(RdsArn source, String targetId, RdsArn target, String kmsKey,
            Optional<String> optionGroup, String replicationId, String sourceInstance) {
        List<Tag> tags = new ArrayList<>(Tags.managed(replicationId, sourceInstance, Tags.KIND_LOCAL_COPY));
        tags.add(Tags.tag(Tags.SOURCE_ACCOUNT, source.accountId()));
        try {
            DBSnapshot s = rds.copyDBSnapshot(r -> {
                // A shared snapshot is named by its full ARN; a plain identifier would be looked up here.
                r.sourceDBSnapshotIdentifier(source.toString()).targetDBSnapshotIdentifier(targetId)
                        .kmsKeyId(kmsKey).tags(tags);
                if (!source.region().equals(target.region())) {
                    // Cross-Region: the SDK pre-signs the request for the source Region from this field.
                    r.sourceRegion(source.region());
                    optionGroup.ifPresent(r::optionGroupName);
                }
            }).dbSnapshot();
            LOG.infof("copying shared snapshot %s to %s for replication %s", source, targetId, replicationId);
            return s;
        } catch (DbSnapshotAlreadyExistsException e) {
            // Another attempt of this step made it between our Describe and the copy: adopt it if it is ours.
            DBSnapshot s = resources.snapshot(targetId).orElseThrow(() -> e);
            adopt(s, replicationId);
            return s;
        }
    }

    private void adopt(DBSnapshot s, String replicationId) {
        waited.requireOwnedBy(s.dbSnapshotArn(), "snapshot " + s.dbSnapshotIdentifier(), replicationId);
        LOG.infof("adopting copy %s already made by replication %s (status %s)", s.dbSnapshotIdentifier(),
                replicationId, s.status());
    }

    /** The ARN the copy will have: this function's partition, Region and account. */
    private RdsArn targetArn(String targetId) {
        String accountId = config.accountId().filter(a -> !a.isBlank()).orElseThrow(() -> new ConfigurationException(
                "REPLICATOR_ACCOUNT_ID is not set: the copy's ARN must be known before the copy is started"));
        String region = ownRegion.get();
        return new RdsArn(PartitionMetadata.of(Region.of(region)).id(), region, accountId, RdsArn.SNAPSHOT, targetId);
    }

    private static String regionOfThisFunction() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new ConfigurationException("cannot tell this function's Region: set AWS_REGION", e);
        }
    }
}
