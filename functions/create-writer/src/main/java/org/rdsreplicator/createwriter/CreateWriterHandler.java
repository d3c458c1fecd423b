package org.rdsreplicator.createwriter;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.records.InstanceInfo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code create-writer} (destination account).
 * <p>
 * Input {@link CreateWriterRequest}; output the writer instance as {@link InstanceInfo}. Invoked by
 * {@code destination-restore} with {@code .waitForTaskToken} after restore-cluster: creates the cluster's writer
 * ({@code CreateDBInstance} with the cluster's id and engine; class {@code ClusterInstanceClass}, or
 * {@code db.serverless} for Serverless v2), never publicly accessible, tagged like the cluster; the task completes
 * when the instance is available (RDS-EVENT-0005 through the event router, confirmed by Describe).
 * <p>
 * Settings: {@code REPLICATOR_CLUSTER_INSTANCE_CLASS}, {@code REPLICATOR_WAITS_TABLE}.
 * <p>
 * Errors: {@code InvalidInputException}, {@code InstanceNotFoundException} (no such cluster),
 * {@code WaitConflictException} (the cluster or a writer of that name is not this replication's),
 * {@code CapacityUnavailableException}, {@code InstanceQuotaExceededException}, {@code ConfigurationException}
 * (instance class rejected), {@code ResourceBusyException} (cluster not available yet), {@code TransientAwsException}
 * (package {@code org.rdsreplicator.common.errors}).
 */
@Named("create-writer")
@StepHandler
public class CreateWriterHandler implements RequestHandler<CreateWriterRequest, InstanceInfo> {

    @Inject
    CreateWriterService service;

    @Override
    public InstanceInfo handleRequest(CreateWriterRequest input, Context context) {
        return service.create(input);
    }
}
