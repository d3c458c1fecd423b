package org.rdsreplicator.sharesnapshot;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code share-snapshot}.
 * <p>
 * Input {@link ShareSnapshotRequest}; output {@link ShareSnapshotResult}. Adds every destination account
 * ({@code REPLICATOR_DESTINATION_ACCOUNTS}) to the snapshot's {@code restore} attribute, then reads the
 * attribute back and checks each account is there. Idempotent: sharing again changes nothing.
 * Only snapshots this system made (tag {@code rds-replicator:managed-by}) are ever shared. A
 * {@code cluster-snapshot} ARN (an Aurora cluster's run) is shared the same way with
 * ModifyDBClusterSnapshotAttribute and read back with DescribeDBClusterSnapshotAttributes.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code ConfigurationException}, {@code SnapshotNotFoundException}, {@code ResourceBusyException},
 * {@code ShareNotAppliedException}, {@code TransientAwsException}.
 */
@Named("share-snapshot")
@StepHandler
public class ShareSnapshotHandler implements RequestHandler<ShareSnapshotRequest, ShareSnapshotResult> {

    @Inject
    ShareSnapshotService service;

    @Override
    public ShareSnapshotResult handleRequest(ShareSnapshotRequest input, Context context) {
        return service.share(input);
    }
}
