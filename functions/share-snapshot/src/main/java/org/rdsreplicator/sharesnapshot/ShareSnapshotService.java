package org.rdsreplicator.sharesnapshot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.ShareNotAppliedException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshotAttribute;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Shares a managed snapshot with the destination accounts through its {@code restore} attribute.
 * RDS reports no event for a share, so the result is confirmed by reading the attribute back.
 */
@ApplicationScoped
public class ShareSnapshotService {
    static final String RESTORE = "restore";
    /** RDS limit: a manual snapshot can be shared with at most 20 accounts. */
    static final int MAX_ACCOUNTS = 20;
    private static final Pattern ACCOUNT_ID = Pattern.compile("^\\d{12}$");
    private static final Logger LOG = Logger.getLogger(ShareSnapshotService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final ShareSnapshotConfig config;

    public ShareSnapshotService(RdsClient rds, RdsResources resources, ShareSnapshotConfig config) {
        this.rds = rds;
        this.resources = resources;
        this.config = config;
    }

    public ShareSnapshotResult share(ShareSnapshotRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and snapshotArn is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        if (req.snapshotArn() != null && RdsArn.parse(req.snapshotArn()).isClusterSnapshot()) {
            RdsArn clusterArn = RdsArn.parse(req.snapshotArn());
            return new ShareClusterSnapshot(rds, resources).share(clusterArn, replicationId,
                    destinationAccounts(clusterArn.accountId()));
        }
        RdsArn arn = RdsArn.requireSnapshot("snapshotArn", req.snapshotArn());
        List<String> accounts = destinationAccounts(arn.accountId());

        // Same account and Region: Describe and Modify take the identifier.
        DBSnapshot snapshot = resources.snapshot(arn.identifier())
                .orElseThrow(() -> new SnapshotNotFoundException("snapshot " + arn + " does not exist"));
        requireOurs(snapshot, replicationId);
        if (!"available".equals(snapshot.status())) {
            throw new ResourceBusyException("snapshot " + snapshot.dbSnapshotIdentifier() + " is " + snapshot.status()
                    + ", not available: it can be shared once available");
        }

        String snapshotId = snapshot.dbSnapshotIdentifier();
        // Only the accounts not yet listed are added: a retry or a second call changes nothing (and does not
        // depend on RDS de-duplicating the attribute's values).
        List<String> toAdd = accounts.isEmpty() ? List.of() : notIn(restoreAccounts(snapshotId), accounts);
        if (!toAdd.isEmpty()) {
            try {
                rds.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier(snapshotId).attributeName(RESTORE)
                        .valuesToAdd(toAdd));
            } catch (AwsServiceException e) {
                throw RdsErrors.translate(e, "cannot share " + snapshotId);
            }
        }
        if (accounts.isEmpty()) {
            LOG.infof("snapshot %s of replication %s stays in this account only", snapshotId, replicationId);
            return new ShareSnapshotResult(snapshot.dbSnapshotArn() != null ? snapshot.dbSnapshotArn() : arn.toString(),
                    accounts);
        }
        // RDS reports no event for a share: read the attribute back and check every account is there.
        Set<String> sharedWith = restoreAccounts(snapshotId);
        List<String> missing = notIn(sharedWith, accounts);
        if (!missing.isEmpty()) {
            throw new ShareNotAppliedException("snapshot " + snapshotId + " is still not shared with " + missing
                    + " after ModifyDBSnapshotAttribute");
        }
        if (sharedWith.contains("all")) {
            LOG.warnf("snapshot %s is public (restore attribute 'all'): it was made public outside this system",
                    snapshot.dbSnapshotIdentifier());
        }
        LOG.infof("snapshot %s of replication %s shared with %s", snapshot.dbSnapshotIdentifier(), replicationId,
                accounts);
        return new ShareSnapshotResult(snapshot.dbSnapshotArn() != null ? snapshot.dbSnapshotArn() : arn.toString(),
                accounts);
    }

    static List<String> notIn(Set<String> present, List<String> wanted) {
        return wanted.stream().filter(a -> !present.contains(a)).toList();
    }

    private void requireOurs(DBSnapshot snapshot, String replicationId) {
        List<Tag> tags = resources.tags(snapshot.dbSnapshotArn());
        if (!Tags.isManaged(tags)) {
            throw new InvalidInputException("snapshot " + snapshot.dbSnapshotIdentifier() + " is not tagged "
                    + Tags.MANAGED_BY + "=" + Tags.MANAGED_BY_VALUE + ": only snapshots this system made are shared");
        }
        String owner = Tags.value(tags, Tags.REPLICATION_ID).orElse(null);
        if (!replicationId.equals(owner)) {
            throw new InvalidInputException("snapshot " + snapshot.dbSnapshotIdentifier() + " belongs to replication "
                    + owner + ", not " + replicationId);
        }
        if ("automated".equals(snapshot.snapshotType())) {
            throw new InvalidInputException("snapshot " + snapshot.dbSnapshotIdentifier()
                    + " is automated: RDS shares only manual snapshots");
        }
    }

    private Set<String> restoreAccounts(String snapshotId) {
        try {
            Set<String> values = new LinkedHashSet<>();
            rds.describeDBSnapshotAttributes(r -> r.dbSnapshotIdentifier(snapshotId)).dbSnapshotAttributesResult()
                    .dbSnapshotAttributes().stream().filter(a -> RESTORE.equals(a.attributeName()))
                    .map(DBSnapshotAttribute::attributeValues).forEach(values::addAll);
            return values;
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot read the sharing of " + snapshotId);
        }
    }

    /**
     * The configured destination accounts: 1 to 20 twelve-digit ids, duplicates removed, without this account
     * (with Role=both the destination is this account, which needs no share: its own snapshot is copied directly).
     */
    List<String> destinationAccounts(String ownAccount) {
        List<String> configured = config.destinationAccounts().orElse(List.of());
        Set<String> accounts = new LinkedHashSet<>();
        List<String> malformed = new ArrayList<>();
        for (String a : configured) {
            String id = a == null ? "" : a.trim();
            if (ACCOUNT_ID.matcher(id).matches()) {
                accounts.add(id);
            } else {
                malformed.add(a);
            }
        }
        if (!malformed.isEmpty()) {
            throw new ConfigurationException("REPLICATOR_DESTINATION_ACCOUNTS holds values that are not 12-digit "
                    + "account ids: " + malformed);
        }
        if (accounts.isEmpty() || accounts.size() > MAX_ACCOUNTS) {
            throw new ConfigurationException("REPLICATOR_DESTINATION_ACCOUNTS must list 1 to " + MAX_ACCOUNTS
                    + " account ids (comma separated), found " + accounts.size());
        }
        if (accounts.remove(ownAccount)) {
            LOG.infof("not sharing with %s: it owns the snapshot (Role=both restores it in this account)", ownAccount);
        }
        return List.copyOf(accounts);
    }
}
