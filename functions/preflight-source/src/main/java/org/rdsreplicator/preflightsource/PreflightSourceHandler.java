package org.rdsreplicator.preflightsource;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code preflight-source}: the first step of source-replication, before any RDS work, and the whole of
 * a dry run's source side.
 * <p>
 * Input {@link PreflightSourceRequest}. Output {@link SourcePreflightReport}. Reads only (DescribeDBInstances,
 * DescribeAccountAttributes, DescribeOptionGroups, KMS DescribeKey; in a dry run DescribeDBSnapshots): creates
 * and changes nothing.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}), in the order checked: {@code InvalidInputException},
 * {@code InstanceNotFoundException}, {@code InstanceNotAvailableException}, {@code UnsupportedEngineException},
 * {@code SnapshotQuotaExceededException} (no room for two more manual snapshots),
 * {@code SnapshotNotShareableException} (permanent or persistent option, TDE), {@code ConfigurationException}
 * (no key configured), {@code KmsKeyNotUsableException}, {@code TransientAwsException}.
 * <p>
 * With {@code dbClusterIdentifier} (an Aurora cluster; DescribeDBClusters, the writer's DescribeDBInstances,
 * DescribeDBClusterSnapshots in a dry run): {@code ClusterNotFoundException}, {@code ClusterNotAvailableException},
 * {@code UnsupportedEngineException} (not Aurora MySQL/PostgreSQL, or Serverless v1),
 * {@code UnencryptedClusterException}, {@code SnapshotQuotaExceededException} (ManualClusterSnapshots),
 * {@code KmsKeyNotUsableException}; the report adds {@code dbClusterIdentifier} and {@code engineMode}.
 */
@Named("preflight-source")
@StepHandler
public class PreflightSourceHandler implements RequestHandler<PreflightSourceRequest, SourcePreflightReport> {

    @Inject
    PreflightSourceService service;

    @Override
    public SourcePreflightReport handleRequest(PreflightSourceRequest input, Context context) {
        return service.check(input);
    }
}
