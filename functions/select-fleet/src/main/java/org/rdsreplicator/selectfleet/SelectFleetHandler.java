package org.rdsreplicator.selectfleet;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.rdsreplicator.common.handler.StepHandler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * Lambda {@code select-fleet}.
 * <p>
 * Input {@link SelectFleetRequest}; output {@link SelectFleetResult}: the databases of this fleet run (the list given
 * on demand, else the stack's FleetDatabases, else the databases tagged FleetTagKey=FleetTagValue), instances and
 * clusters apart, each with its child execution's name and input, and the concurrency of the two Maps. Reads only.
 * <p>
 * Errors (package {@code org.rdsreplicator.common.errors}): {@code InvalidInputException},
 * {@code ConfigurationException}, {@code TransientAwsException}.
 */
@Named("select-fleet")
@StepHandler
public class SelectFleetHandler implements RequestHandler<SelectFleetRequest, SelectFleetResult> {

    @Inject
    SelectFleetService service;

    @Override
    public SelectFleetResult handleRequest(SelectFleetRequest input, Context context) {
        return service.select(input);
    }
}
