package org.rdsreplicator.copysnapshot;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.records.SnapshotInfo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code copy-snapshot}.
 * <p>
 * Input {@link CopySnapshotRequest}; output the shareable copy (new or adopted) as {@link SnapshotInfo}.
 * The copy is always re-encrypted with the stack's customer-managed KMS key
 * ({@code REPLICATOR_KMS_KEY_ARN}), whatever the source's encryption: a snapshot encrypted with the
 * default {@code aws/rds} key, or not at all, cannot be shared usefully. Invoked with
 * {@code .waitForTaskToken}: the task completes when the event router (or this call, if RDS was already
 * done) sends the copy's description.
 * <p>
 * A {@code cluster-snapshot} ARN (an Aurora cluster's run) is copied with CopyDBClusterSnapshot. RDS announces no
 * event for a cluster-snapshot copy: the wait completes when this function, invoked again after the state's
 * (shorter) wait timeout, Describes the copy {@code available}. An unencrypted cluster snapshot cannot be encrypted
 * by a copy: {@code UnencryptedClusterException}, nothing created.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code ConfigurationException}, {@code SnapshotNotFoundException}, {@code ResourceBusyException},
 * {@code KmsKeyNotUsableException}, {@code CopyQuotaExceededException},
 * {@code SnapshotQuotaExceededException}, {@code WaitConflictException}, {@code UnencryptedClusterException},
 * {@code TransientAwsException}.
 */
@Named("copy-snapshot")
@StepHandler
public class CopySnapshotHandler implements RequestHandler<CopySnapshotRequest, SnapshotInfo> {

    @Inject
    CopySnapshotService service;

    @Override
    public SnapshotInfo handleRequest(CopySnapshotRequest input, Context context) {
        return service.copy(input);
    }
}
