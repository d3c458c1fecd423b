package org.rdsreplicator.restorecluster;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.records.ClusterInfo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code restore-cluster} (destination account).
 * <p>
 * Input {@link RestoreClusterRequest}; output the new (or adopted) Aurora cluster as {@link ClusterInfo}. Invoked
 * by {@code destination-restore} with {@code .waitForTaskToken}: the task completes when the event router (RDS-EVENT-
 * 0170, confirmed by Describe) or this call, if RDS was already done, sends the cluster's description. The cluster
 * is restored straight from the shared cluster snapshot with this account's key, tagged managed-by, replication-id,
 * source-cluster, snapshot-time and {@code rds-replicator:replaces}; it has no instance yet (create-writer adds it).
 * <p>
 * Settings: {@code REPLICATOR_SECRET_ARN}, {@code REPLICATOR_RESTORE_*} (see {@link RestoreClusterConfig}),
 * {@code REPLICATOR_WAITS_TABLE}.
 * <p>
 * Errors: {@code InvalidInputException}, {@code ConfigurationException} (key, account or secret not set; a snapshot
 * in another Region; subnet group or security groups rejected by RDS), {@code SecretUnreadableException},
 * {@code SnapshotNotFoundException}, {@code ResourceBusyException}, {@code KmsKeyNotUsableException},
 * {@code CapacityUnavailableException}, {@code InstanceQuotaExceededException} (the DB cluster quota),
 * {@code WaitConflictException}, {@code TransientAwsException} (package {@code org.rdsreplicator.common.errors}).
 */
@Named("restore-cluster")
@StepHandler
public class RestoreClusterHandler implements RequestHandler<RestoreClusterRequest, ClusterInfo> {

    @Inject
    RestoreClusterService service;

    @Override
    public ClusterInfo handleRequest(RestoreClusterRequest input, Context context) {
        return service.restore(input);
    }
}
