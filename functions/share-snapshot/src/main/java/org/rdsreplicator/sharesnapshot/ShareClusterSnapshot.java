package org.rdsreplicator.sharesnapshot;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.ShareNotAppliedException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshotAttribute;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Shares an Aurora cluster's shareable copy with the destination accounts: {@code ModifyDBClusterSnapshotAttribute}
 * ({@code restore}), only the accounts not yet listed, then read back with
 * {@code DescribeDBClusterSnapshotAttributes} as the instance share is (RDS reports no event for a share).
 */
class ShareClusterSnapshot {
    private static final Logger LOG = Logger.getLogger(ShareClusterSnapshot.class);

    private final RdsClient rds;
    private final RdsResources resources;

    ShareClusterSnapshot(RdsClient rds, RdsResources resources) {
        this.rds = rds;
        this.resources = resources;
    }

    ShareSnapshotResult share(RdsArn arn, String replicationId, List<String> accounts) {
        DBClusterSnapshot snapshot = resources.clusterSnapshot(arn.identifier())
                .orElseThrow(() -> new SnapshotNotFoundException("cluster snapshot " + arn + " does not exist"));
        String id = snapshot.dbClusterSnapshotIdentifier();
        requireOurs(snapshot, replicationId);
        if (!"available".equals(snapshot.status())) {
            throw new ResourceBusyException("cluster snapshot " + id + " is " + snapshot.status()
                    + ", not available: it can be shared once available");
        }
        String snapshotArn = snapshot.dbClusterSnapshotArn() != null ? snapshot.dbClusterSnapshotArn() : arn.toString();
        if (accounts.isEmpty()) {
            LOG.infof("cluster snapshot %s of replication %s stays in this account only", id, replicationId);
            return new ShareSnapshotResult(snapshotArn, accounts);
        }
        List<String> toAdd = ShareSnapshotService.notIn(restoreAccounts(id), accounts);
        if (!toAdd.isEmpty()) {
            try {
                rds.modifyDBClusterSnapshotAttribute(r -> r.dbClusterSnapshotIdentifier(id)
                        .attributeName(ShareSnapshotService.RESTORE).valuesToAdd(toAdd));
            } catch (AwsServiceException e) {
                throw RdsErrors.translate(e, "cannot share cluster snapshot " + id);
            }
        }
        List<String> missing = ShareSnapshotService.notIn(restoreAccounts(id), accounts);
        if (!missing.isEmpty()) {
            throw new ShareNotAppliedException("cluster snapshot " + id + " is still not shared with " + missing
                    + " after ModifyDBClusterSnapshotAttribute");
        }
        LOG.infof("cluster snapshot %s of replication %s shared with %s", id, replicationId, accounts);
        return new ShareSnapshotResult(snapshotArn, accounts);
    }

    private void requireOurs(DBClusterSnapshot snapshot, String replicationId) {
        String id = snapshot.dbClusterSnapshotIdentifier();
        List<Tag> tags = resources.tags(snapshot.dbClusterSnapshotArn());
        if (!Tags.isManaged(tags)) {
            throw new InvalidInputException("cluster snapshot " + id + " is not tagged " + Tags.MANAGED_BY + "="
                    + Tags.MANAGED_BY_VALUE + ": only snapshots this system made are shared");
        }
        String owner = Tags.value(tags, Tags.REPLICATION_ID).orElse(null);
        if (!replicationId.equals(owner)) {
            throw new InvalidInputException("cluster snapshot " + id + " belongs to replication " + owner + ", not "
                    + replicationId);
        }
        if (!"manual".equals(snapshot.snapshotType())) {
            throw new InvalidInputException("cluster snapshot " + id + " is " + snapshot.snapshotType()
                    + ": RDS shares only manual cluster snapshots");
        }
    }

    private Set<String> restoreAccounts(String id) {
        try {
            Set<String> values = new LinkedHashSet<>();
            rds.describeDBClusterSnapshotAttributes(r -> r.dbClusterSnapshotIdentifier(id))
                    .dbClusterSnapshotAttributesResult().dbClusterSnapshotAttributes().stream()
                    .filter(a -> ShareSnapshotService.RESTORE.equals(a.attributeName()))
                    .map(DBClusterSnapshotAttribute::attributeValues).forEach(values::addAll);
            return values;
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot read the sharing of cluster snapshot " + id);
        }
    }
}
