package org.rdsreplicator.common.rds;

import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ClusterNotFoundException;
import org.rdsreplicator.common.errors.CopyQuotaExceededException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterSnapshotStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbSnapshotStateException;
import software.amazon.awssdk.services.rds.model.KmsKeyNotAccessibleException;

/** Maps RDS SDK exceptions onto the project's named errors, in one place for every step. */
public final class RdsErrors {
    private RdsErrors() {
    }

    /**
     * The named error for {@code e}: {@link org.rdsreplicator.common.errors.TransientAwsException} for
     * throttling and 5xx ({@link AwsFailures}), a specific name for the RDS faults below, or {@code e}
     * itself when it has no specific meaning here (the state machine then treats it as terminal).
     */
    public static RuntimeException translate(AwsServiceException e, String what) {
        if (AwsFailures.isTransient(e)) {
            return AwsFailures.translate(e, what);
        }
        String msg = what + ": " + e.awsErrorDetails().errorMessage();
        if (e instanceof DbInstanceNotFoundException) {
            return new InstanceNotFoundException(msg, e);
        }
        if (e instanceof DbSnapshotNotFoundException || e instanceof DbClusterSnapshotNotFoundException) {
            return new SnapshotNotFoundException(msg, e);
        }
        if (e instanceof DbClusterNotFoundException) {
            return new ClusterNotFoundException(msg, e);
        }
        if (e instanceof software.amazon.awssdk.services.rds.model.SnapshotQuotaExceededException) {
            // RDS reports both the manual-snapshot quota and the concurrent-copy limit with this fault;
            // the copy limit clears by itself and is retried, the snapshot quota needs an operator.
            String m = String.valueOf(e.awsErrorDetails().errorMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("copy") || m.contains("progress")) {
                return new CopyQuotaExceededException(msg, e);
            }
            return new SnapshotQuotaExceededException(msg, e);
        }
        if (e instanceof KmsKeyNotAccessibleException) {
            return new KmsKeyNotUsableException(msg, e);
        }
        if (e instanceof InvalidDbSnapshotStateException || e instanceof InvalidDbInstanceStateException
                || e instanceof InvalidDbClusterSnapshotStateException || e instanceof InvalidDbClusterStateException) {
            return new ResourceBusyException(msg, e);
        }
        return e;
    }
}
