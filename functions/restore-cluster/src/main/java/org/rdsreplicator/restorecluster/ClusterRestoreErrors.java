package org.rdsreplicator.restorecluster;

import java.util.Set;

import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.CapacityUnavailableException;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceQuotaExceededException;
import org.rdsreplicator.common.errors.ResourceBusyException;
import org.rdsreplicator.common.errors.SnapshotNotFoundException;
import org.rdsreplicator.common.rds.RdsErrors;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.DbClusterQuotaExceededException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.InsufficientDbClusterCapacityException;
import software.amazon.awssdk.services.rds.model.InsufficientStorageClusterCapacityException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterSnapshotStateException;
import software.amazon.awssdk.services.rds.model.InvalidSubnetException;
import software.amazon.awssdk.services.rds.model.InvalidVpcNetworkStateException;
import software.amazon.awssdk.services.rds.model.StorageQuotaExceededException;

/**
 * The RDS faults of RestoreDBClusterFromSnapshot that need their own meaning, on top of {@link RdsErrors#translate}
 * (transient failures, KMS).
 */
final class ClusterRestoreErrors {
    private static final Set<String> SETTING_CODES = Set.of("InvalidParameterCombination", "InvalidParameterValue");

    private ClusterRestoreErrors() {
    }

    static RuntimeException translate(AwsServiceException e, String what) {
        if (AwsFailures.isTransient(e)) {
            return RdsErrors.translate(e, what);
        }
        String msg = what + ": " + e.awsErrorDetails().errorMessage();
        if (e instanceof DbClusterSnapshotNotFoundException) {
            return new SnapshotNotFoundException(msg + " (is it shared with this account?)", e);
        }
        if (e instanceof InvalidDbClusterSnapshotStateException) {
            return new ResourceBusyException(msg, e);
        }
        if (e instanceof InsufficientDbClusterCapacityException || e instanceof InsufficientStorageClusterCapacityException) {
            return new CapacityUnavailableException(msg, e);
        }
        if (e instanceof DbClusterQuotaExceededException || e instanceof StorageQuotaExceededException) {
            return new InstanceQuotaExceededException(msg + " (the DB cluster quota of this account and Region)", e);
        }
        if (e instanceof DbSubnetGroupNotFoundException || e instanceof InvalidSubnetException
                || e instanceof InvalidVpcNetworkStateException || SETTING_CODES.contains(e.awsErrorDetails().errorCode())) {
            return new ConfigurationException(msg + " (check the REPLICATOR_RESTORE_* settings)", e);
        }
        return RdsErrors.translate(e, what);
    }
}
