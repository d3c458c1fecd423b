package org.rdsreplicator.restoreinstance;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.records.InstanceInfo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code restore-instance} (destination account).
 * <p>
 * Input {@link RestoreInstanceRequest}; output the new (or adopted) instance as {@link InstanceInfo}.
 * Invoked by {@code destination-restore} with {@code .waitForTaskToken}: the task completes when the
 * event router (or this call, if RDS was already done) sends the instance's description. The new
 * instance is tagged managed-by, replication-id, source-instance and {@code rds-replicator:replaces}
 * (the instance the secret named when it was restored); it is never publicly accessible. The secret is
 * only read here.
 * <p>
 * Settings: {@code REPLICATOR_SECRET_ARN}, {@code REPLICATOR_RESTORE_*} (see {@link RestoreConfig}),
 * {@code REPLICATOR_WAITS_TABLE}.
 * <p>
 * Errors: {@code InvalidInputException}, {@code ConfigurationException} (instance class or secret not
 * set; subnet group, security groups, option or parameter group rejected by RDS),
 * {@code SecretUnreadableException}, {@code SnapshotNotFoundException}, {@code ResourceBusyException}
 * (snapshot not available yet), {@code KmsKeyNotUsableException}, {@code CapacityUnavailableException},
 * {@code InstanceQuotaExceededException}, {@code WaitConflictException}, {@code TransientAwsException}
 * (package {@code org.rdsreplicator.common.errors}).
 */
@Named("restore-instance")
@StepHandler
public class RestoreInstanceHandler implements RequestHandler<RestoreInstanceRequest, InstanceInfo> {

    @Inject
    RestoreInstanceService service;

    @Override
    public InstanceInfo handleRequest(RestoreInstanceRequest input, Context context) {
        return service.restore(input);
    }
}
