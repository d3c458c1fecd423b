package org.rdsreplicator.copysharedsnapshot;

import java.util.LinkedHashMap;
import java.util.Map;

import org.rdsreplicator.common.testing.FakeRds;

import software.amazon.awssdk.services.rds.model.CopyDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.CopyDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * {@link FakeRds} (account {@value FakeRds#ACCOUNT}) plus snapshots owned by other accounts, with the
 * cross-account rules of CopyDBSnapshot: a foreign snapshot is found only by its full ARN and only when
 * its {@code restore} attribute names this account, and an encrypted one needs a KMS key of this account.
 */
class SharingRds extends FakeRds {
    /** Snapshots of other accounts, by ARN. */
    final Map<String, Snap> foreign = new LinkedHashMap<>();
    volatile CopyDbSnapshotRequest lastCopy;

    Snap addForeignSnapshot(String account, String id, boolean sharedWithUs) {
        Snap s = new Snap();
        s.id = id;
        s.arn = "arn:aws:rds:" + REGION + ":" + account + ":snapshot:" + id;
        s.instanceId = "orders-db";
        s.status = "available";
        s.encrypted = true;
        s.kmsKeyId = "arn:aws:kms:" + REGION + ":" + account + ":key/source-key";
        if (sharedWithUs) {
            s.restoreAccounts.add(ACCOUNT);
        }
        foreign.put(s.arn, s);
        return s;
    }

    @Override
    public CopyDbSnapshotResponse copyDBSnapshot(CopyDbSnapshotRequest r) {
        lastCopy = r;
        Snap src = foreign.get(r.sourceDBSnapshotIdentifier());
        if (src == null) {
            // Not a foreign ARN: an identifier (or ARN) of this account's own snapshots.
            return super.copyDBSnapshot(r);
        }
        if (!src.restoreAccounts.contains(ACCOUNT)) {
            throw (DbSnapshotNotFoundException) error(DbSnapshotNotFoundException.builder(), "DBSnapshotNotFound",
                    "DBSnapshot " + r.sourceDBSnapshotIdentifier() + " not found.");
        }
        if (src.encrypted && r.kmsKeyId() == null) {
            throw error(RdsException.builder(), "InvalidParameterValue",
                    "KmsKeyId is required to copy an encrypted snapshot shared from another account");
        }
        // Let the in-memory account see the source for the length of the copy.
        snapshots.put(src.id, src);
        try {
            return super.copyDBSnapshot(r);
        } finally {
            snapshots.remove(src.id);
        }
    }
}
