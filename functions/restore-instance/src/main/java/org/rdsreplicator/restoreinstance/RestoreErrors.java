package org.rdsreplicator.restoreinstance;

import java.util.Set;

import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.CapacityUnavailableException;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceQuotaExceededException;
import org.rdsreplicator.common.rds.RdsErrors;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.AuthorizationNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSecurityGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupDoesNotCoverEnoughAZsException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.InsufficientAvailableIPsInSubnetException;
import software.amazon.awssdk.services.rds.model.InsufficientDbInstanceCapacityException;
import software.amazon.awssdk.services.rds.model.InvalidDbSubnetGroupStateException;
import software.amazon.awssdk.services.rds.model.InvalidRestoreException;
import software.amazon.awssdk.services.rds.model.InvalidSubnetException;
import software.amazon.awssdk.services.rds.model.InvalidVpcNetworkStateException;
import software.amazon.awssdk.services.rds.model.NetworkTypeNotSupportedException;
import software.amazon.awssdk.services.rds.model.OptionGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.StorageQuotaExceededException;
import software.amazon.awssdk.services.rds.model.StorageTypeNotSupportedException;

/**
 * The RDS faults of RestoreDBInstanceFromDBSnapshot that need their own meaning, on top of
 * {@link RdsErrors#translate} (transient failures, snapshot not found, KMS, busy).
 */
final class RestoreErrors {
    /** Generic RDS error codes that, for a validated input, can only come from the restore settings. */
    private static final Set<String> SETTING_CODES = Set.of("InvalidParameterCombination", "InvalidParameterValue");

    private RestoreErrors() {
    }

    static RuntimeException translate(AwsServiceException e, String what) {
        if (AwsFailures.isTransient(e)) {
            // A throttle or a 5xx says nothing about the settings: retried, never ConfigurationException.
            return RdsErrors.translate(e, what);
        }
        String msg = what + ": " + e.awsErrorDetails().errorMessage();
        if (e instanceof InsufficientDbInstanceCapacityException) {
            return new CapacityUnavailableException(msg, e);
        }
        if (e instanceof software.amazon.awssdk.services.rds.model.InstanceQuotaExceededException
                || e instanceof StorageQuotaExceededException) {
            return new InstanceQuotaExceededException(msg, e);
        }
        if (e instanceof DbSubnetGroupNotFoundException || e instanceof DbSubnetGroupDoesNotCoverEnoughAZsException
                || e instanceof InvalidDbSubnetGroupStateException || e instanceof InvalidSubnetException
                || e instanceof InvalidVpcNetworkStateException || e instanceof InsufficientAvailableIPsInSubnetException
                || e instanceof DbSecurityGroupNotFoundException || e instanceof AuthorizationNotFoundException
                || e instanceof OptionGroupNotFoundException || e instanceof DbParameterGroupNotFoundException
                || e instanceof StorageTypeNotSupportedException || e instanceof NetworkTypeNotSupportedException
                || e instanceof InvalidRestoreException
                || SETTING_CODES.contains(e.awsErrorDetails().errorCode())) {
            return new ConfigurationException(msg + " (check the REPLICATOR_RESTORE_* settings)", e);
        }
        return RdsErrors.translate(e, what);
    }
}
