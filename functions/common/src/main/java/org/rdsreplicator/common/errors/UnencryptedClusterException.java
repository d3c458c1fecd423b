package org.rdsreplicator.common.errors;

/**
 * Thrown by the source preflight (and, as a guard, by copy-snapshot) when the source Aurora cluster is not
 * encrypted: Aurora cannot encrypt a cluster snapshot while copying it, so no copy encrypted with the stack's
 * ReplicationKey can be made. Nothing was created. The operator makes an encrypted cluster first (snapshot the
 * cluster, restore the snapshot with {@code StorageEncrypted} and a KMS key, switch the clients) and replicates
 * that one.
 */
public class UnencryptedClusterException extends ReplicationException {
    public UnencryptedClusterException(String message) {
        super(message);
    }
}
