package org.rdsreplicator.startrestore;

import org.rdsreplicator.common.testing.RecordingSfn;

import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** {@link RecordingSfn} that also answers DescribeExecution for the executions it recorded. */
class ExecutionsSfn extends RecordingSfn {

    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest r) {
        String name = r.executionArn().substring(r.executionArn().lastIndexOf(':') + 1);
        return executions.stream().filter(e -> e.name().equals(name)).findFirst()
                .map(e -> DescribeExecutionResponse.builder().executionArn(r.executionArn()).name(name)
                        .input(e.input()).status("RUNNING").build())
                .orElseThrow(() -> ExecutionDoesNotExistException.builder().message("Execution Does Not Exist")
                        .build());
    }
}
