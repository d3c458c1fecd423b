package org.rdsreplicator.preflightdestination;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code preflight-destination}: the first step of destination-restore, before any RDS work, and the whole
 * of a dry run's destination side.
 * <p>
 * Input {@link PreflightDestinationRequest}. Output {@link DestinationPreflightReport}. Reads only
 * (DescribeAccountAttributes, DescribeDBSubnetGroups, EC2 DescribeSecurityGroups, DescribeOptionGroups,
 * DescribeDBParameterGroups, DescribeDBEngineVersions, KMS DescribeKey, GetSecretValue; in a dry run
 * DescribeDBInstances and DescribeDBSnapshots): creates and changes nothing.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}), in the order checked: {@code InvalidInputException},
 * {@code InstanceQuotaExceededException}, {@code SnapshotQuotaExceededException}, {@code ConfigurationException}
 * (a restore setting that does not exist or does not fit the engine), {@code KmsKeyNotUsableException},
 * {@code SecretUnreadableException} (unreadable, not JSON, not the RDS layout), {@code TransientAwsException}.
 */
@Named("preflight-destination")
@StepHandler
public class PreflightDestinationHandler implements RequestHandler<PreflightDestinationRequest, DestinationPreflightReport> {

    @Inject
    PreflightDestinationService service;

    @Override
    public DestinationPreflightReport handleRequest(PreflightDestinationRequest input, Context context) {
        return service.check(input);
    }
}
