package org.rdsreplicator.copysharedsnapshot;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.records.SnapshotInfo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code copy-shared-snapshot} (destination account).
 * <p>
 * Input {@link CopySharedSnapshotRequest}; output the new (or adopted) local copy as {@link SnapshotInfo}.
 * Invoked by {@code destination-restore} with {@code .waitForTaskToken}: the task completes when the
 * event router (or this call, if RDS was already done) sends the copy's description.
 * <p>
 * Settings: {@code REPLICATOR_KMS_KEY_ARN} (this account's key the copy is encrypted with),
 * {@code REPLICATOR_ACCOUNT_ID} (this account, for the copy's ARN), {@code REPLICATOR_WAITS_TABLE}.
 * <p>
 * Errors: {@code InvalidInputException}, {@code ConfigurationException} (key or account not set),
 * {@code SnapshotNotFoundException} (not shared with this account, or gone),
 * {@code KmsKeyNotUsableException}, {@code CopyQuotaExceededException}, {@code SnapshotQuotaExceededException},
 * {@code OptionGroupRequiredException} (a cross-Region copy needs {@code REPLICATOR_COPY_OPTION_GROUP}),
 * {@code ResourceBusyException}, {@code WaitConflictException}, {@code TransientAwsException}
 * (package {@code org.rdsreplicator.common.errors}).
 */
@Named("copy-shared-snapshot")
@StepHandler
public class CopySharedSnapshotHandler implements RequestHandler<CopySharedSnapshotRequest, SnapshotInfo> {

    @Inject
    CopySharedSnapshotService service;

    @Override
    public SnapshotInfo handleRequest(CopySharedSnapshotRequest input, Context context) {
        return service.copy(input);
    }
}
