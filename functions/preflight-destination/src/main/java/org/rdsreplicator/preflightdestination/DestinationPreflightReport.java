package org.rdsreplicator.preflightdestination;

import java.util.List;

import org.rdsreplicator.common.rds.AccountQuotas.Quota;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of preflight-destination: what was checked and, in a dry run, what the run would do. Every check passed
 * (a failed one is an error, not a report).
 *
 * @param dryRun               whether this is a dry run (the plan fields are set only then)
 * @param replicationId        the replication id
 * @param account              this account
 * @param region               this Region
 * @param sourceAccount        the source account of the message
 * @param sharedSnapshotArn    the snapshot the source shares (in a dry run: the one it would share)
 * @param dbInstances          the DB instance quota: room for one more
 * @param manualSnapshots      the manual-snapshot quota: room for the local copy
 * @param subnetGroup          the restore's subnet group (checked when set)
 * @param securityGroupIds     the restore's security groups (checked when set)
 * @param optionGroup          the restore's option group (checked when set)
 * @param parameterGroup       the restore's parameter group (checked when set)
 * @param kmsKeyArn            this account's key for the local copy: enabled, symmetric
 * @param currentInstance      the instance the secret names now (null before the first switch)
 * @param localCopy            dry run: the copy the run would make
 * @param instance             dry run: the instance it would restore (named from the snapshot's time; the real run
 *                             takes the time RDS gives the snapshot, so the stamp can differ by seconds)
 * @param instanceClass        dry run: its class
 * @param retentionWouldDelete dry run: what prune-instances would delete after the run, with the reason
 * @param retentionWouldKeep   dry run: what it would keep or may not delete, with the reason
 * @param dbClusters           for an Aurora cluster: the DB cluster quota, room for one more (then
 *                             {@code manualSnapshots} is null: the shared cluster snapshot is restored without a copy,
 *                             {@code instance} is the writer and {@code currentInstance} the cluster the secret names)
 * @param dbCluster            dry run of a cluster: the cluster it would restore
 */
@RegisterForReflection
public record DestinationPreflightReport(boolean dryRun, String replicationId, String account, String region,
        String sourceAccount, String sharedSnapshotArn, Quota dbInstances, Quota manualSnapshots, String subnetGroup,
        List<String> securityGroupIds, String optionGroup, String parameterGroup, String kmsKeyArn,
        String currentInstance, String localCopy, String instance, String instanceClass,
        List<String> retentionWouldDelete, List<String> retentionWouldKeep, Quota dbClusters, String dbCluster) {

    /** A report about a DB instance (no cluster fields). */
    public DestinationPreflightReport(boolean dryRun, String replicationId, String account, String region,
            String sourceAccount, String sharedSnapshotArn, Quota dbInstances, Quota manualSnapshots, String subnetGroup,
            List<String> securityGroupIds, String optionGroup, String parameterGroup, String kmsKeyArn,
            String currentInstance, String localCopy, String instance, String instanceClass,
            List<String> retentionWouldDelete, List<String> retentionWouldKeep) {
        this(dryRun, replicationId, account, region, sourceAccount, sharedSnapshotArn, dbInstances, manualSnapshots,
                subnetGroup, securityGroupIds, optionGroup, parameterGroup, kmsKeyArn, currentInstance, localCopy,
                instance, instanceClass, retentionWouldDelete, retentionWouldKeep, null, null);
    }
}
