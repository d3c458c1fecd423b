package org.rdsreplicator.createsnapshot;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.records.SnapshotInfo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code create-snapshot}.
 * <p>
 * Input {@link CreateSnapshotRequest}; output the new (or adopted) snapshot as {@link SnapshotInfo}.
 * Invoked by the state machine with {@code .waitForTaskToken}: the task completes when the event
 * router (or this call, if RDS was already done) sends the snapshot's description.
 * <p>
 * Errors: {@code InvalidInputException}, {@code InstanceNotFoundException},
 * {@code InstanceNotAvailableException}, {@code SnapshotQuotaExceededException},
 * {@code WaitConflictException}, {@code TransientAwsException} (package {@code org.rdsreplicator.common.errors}).
 * With {@code dbClusterIdentifier} (an Aurora cluster) a manual cluster snapshot is taken (CreateDBClusterSnapshot;
 * its wait ends on RDS-EVENT-0075): {@code ClusterNotFoundException}, {@code ClusterNotAvailableException}.
 */
@Named("create-snapshot")
@StepHandler
public class CreateSnapshotHandler implements RequestHandler<CreateSnapshotRequest, SnapshotInfo> {

    @Inject
    CreateSnapshotService service;

    @Override
    public SnapshotInfo handleRequest(CreateSnapshotRequest input, Context context) {
        return service.create(input);
    }
}
