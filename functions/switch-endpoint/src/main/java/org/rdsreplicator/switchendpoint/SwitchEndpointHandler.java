package org.rdsreplicator.switchendpoint;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;
import org.rdsreplicator.common.secret.SwitchResult;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code switch-endpoint}: makes the freshly restored instance the current one.
 * <p>
 * Input {@link SwitchEndpointRequest} {@code {"replicationId": "...", "dbInstanceIdentifier": "..."}}.
 * Sets the instance's master password to the secret's (a restored instance keeps the source's), writes a
 * new secret version with host, port and dbInstanceIdentifier of the instance (every other field kept;
 * idempotency key = replicationId), tags the instance {@code rds-replicator:role=current} and the
 * previous managed instance {@code retired}. A repeated call finds the secret already switched and
 * changes nothing.
 * <p>
 * Output {@link SwitchResult} {@code {"previousInstance", "currentInstance", "secretVersionId", "changed"}}.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code InstanceNotFoundException}, {@code NotManagedException}, {@code InstanceNotAvailableException}
 * (retry), {@code ResourceBusyException} (retry), {@code TransientAwsException} (retry),
 * {@code ConfigurationException} (no secret ARN, or the secret has no password),
 * {@code SecretUpdateFailedException} (the secret could not be written: the previous version stays
 * current and the new instance is tagged {@code role=cleanup}).
 */
@Named("switch-endpoint")
@StepHandler
public class SwitchEndpointHandler implements RequestHandler<SwitchEndpointRequest, SwitchResult> {

    @Inject
    SwitchEndpointService service;

    @Override
    public SwitchResult handleRequest(SwitchEndpointRequest input, Context context) {
        return service.switchEndpoint(input);
    }
}
