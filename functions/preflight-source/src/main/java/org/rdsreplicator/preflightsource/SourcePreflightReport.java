package org.rdsreplicator.preflightsource;

import java.util.List;

import org.rdsreplicator.common.rds.AccountQuotas.Quota;
import org.rdsreplicator.common.records.ReplicationMessage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of preflight-source: what was checked and, in a dry run, what the run would do. Every check passed
 * (a failed one is an error, not a report).
 *
 * @param dryRun               whether this is a dry run (the plan fields are set only then)
 * @param replicationId        the replication id
 * @param account              the source account
 * @param region               the source Region
 * @param dbInstanceIdentifier the source instance: exists, available, supported engine, shareable options
 * @param engine               its engine
 * @param engineVersion        its engine version
 * @param manualSnapshots      the manual-snapshot quota: room for this run's two snapshots
 * @param kmsKeyArn            the stack's key the copy is encrypted with: enabled, symmetric
 * @param destinationAccounts  the accounts the copy would be shared with
 * @param snapshot             dry run: the snapshot the run would create
 * @param shareableCopy        dry run: the re-encrypted copy it would share and announce
 * @param retentionWouldDelete dry run: what prune-snapshots would delete after the run, with the reason
 * @param retentionWouldKeep   dry run: what it would keep, with the reason
 * @param message              dry run: the message announced to the destinations (with the dry-run marker)
 * @param dbClusterIdentifier  an Aurora cluster's run: the source cluster (dbInstanceIdentifier is then null;
 *                             manualSnapshots is the ManualClusterSnapshots quota)
 * @param engineMode           an Aurora cluster's run: {@code provisioned} or {@code serverless-v2}
 */
@RegisterForReflection
public record SourcePreflightReport(boolean dryRun, String replicationId, String account, String region,
        String dbInstanceIdentifier, String engine, String engineVersion, Quota manualSnapshots, String kmsKeyArn,
        List<String> destinationAccounts, String snapshot, String shareableCopy, List<String> retentionWouldDelete,
        List<String> retentionWouldKeep, ReplicationMessage message, String dbClusterIdentifier, String engineMode) {
}
