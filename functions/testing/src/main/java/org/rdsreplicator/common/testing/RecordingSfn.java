package org.rdsreplicator.common.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/** A Step Functions client that records task completions and executions instead of sending them. */
public class RecordingSfn implements SfnClient {
    public final List<SendTaskSuccessRequest> successes = new CopyOnWriteArrayList<>();
    public final List<SendTaskFailureRequest> failures = new CopyOnWriteArrayList<>();
    public final List<StartExecutionRequest> executions = new CopyOnWriteArrayList<>();
    /** When set, thrown by the next call instead of recording it. */
    public volatile RuntimeException failNext;

    private void maybeFail() {
        RuntimeException e = failNext;
        if (e != null) {
            failNext = null;
            throw e;
        }
    }

    @Override
    public SendTaskSuccessResponse sendTaskSuccess(SendTaskSuccessRequest r) {
        maybeFail();
        successes.add(r);
        return SendTaskSuccessResponse.builder().build();
    }

    @Override
    public SendTaskFailureResponse sendTaskFailure(SendTaskFailureRequest r) {
        maybeFail();
        failures.add(r);
        return SendTaskFailureResponse.builder().build();
    }

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest r) {
        maybeFail();
        executions.add(r);
        return StartExecutionResponse.builder().executionArn("arn:aws:states:eu-west-1:" + FakeRds.ACCOUNT
                + ":execution:" + r.stateMachineArn().substring(r.stateMachineArn().lastIndexOf(':') + 1) + ":"
                + r.name()).build();
    }

    @Override
    public String serviceName() {
        return "sfn";
    }

    @Override
    public void close() {
    }
}
