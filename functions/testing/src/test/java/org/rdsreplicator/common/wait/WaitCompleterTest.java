package org.rdsreplicator.common.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.WaitHarness;
import org.rdsreplicator.common.testing.RecordingSfn;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** A completion is never lost between claiming the wait and sending it. */
class WaitCompleterTest {
    static final String SNAP = "orders-db-20261124t093000z-5b1e0c";
    static final String ARN = "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":snapshot:" + SNAP;

    WaitHarness h;
    WaitRegistration registered;

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        h.rds.addSnapshot(SNAP, "orders-db", "available");
        registered = h.waits.register(ARN, "token-1", "orders-db-20261124T093000Z", "create-snapshot");
    }

    static SfnException sfnError(int status, String code) {
        return (SfnException) SfnException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Sfn").errorCode(code).build())
                .statusCode(status).build();
    }

    @Test
    void sendFailsOnce_shouldPutTheWaitBackAndTheNextSettleSendsExactlyOneSuccess() {
        h.sfn.failNext = sfnError(500, "InternalFailure");

        assertThatThrownBy(() -> h.completer.settle(ARN, false)).isInstanceOf(TransientAwsException.class);

        assertThat(h.waits.items.get(ARN)).isEqualTo(registered);
        assertThat(h.sfn.successes).isEmpty();

        assertThat(h.completer.settle(ARN, false)).isEqualTo(WaitCompleter.Outcome.SUCCEEDED);
        assertThat(h.completer.settle(ARN, false)).isEqualTo(WaitCompleter.Outcome.NO_WAIT);
        assertThat(h.sfn.successes).hasSize(1);
        assertThat(h.sfn.successes.get(0).taskToken()).isEqualTo("token-1");
        assertThat(h.waits.items).isEmpty();
    }

    @Test
    void failureSendFailsWithATerminalError_shouldPutTheWaitBackAndRethrowIt() {
        h.rds.snapshots.get(SNAP).status = "failed";
        SfnException denied = sfnError(400, "AccessDeniedException");
        h.sfn.failNext = denied;

        assertThatThrownBy(() -> h.completer.settle(ARN, false)).isSameAs(denied);

        assertThat(h.waits.items.get(ARN)).isEqualTo(registered);
        assertThat(h.completer.settle(ARN, false)).isEqualTo(WaitCompleter.Outcome.FAILED);
        assertThat(h.sfn.failures).hasSize(1);
    }

    @Test
    void staleToken_shouldNotPutTheWaitBack() {
        h.sfn.failNext = TaskTimedOutException.builder().message("Task Timed Out").build();

        assertThat(h.completer.settle(ARN, false)).isEqualTo(WaitCompleter.Outcome.STALE_TOKEN);

        assertThat(h.waits.items).isEmpty();
        assertThat(h.sfn.successes).isEmpty();
    }

    @Test
    void waitReArmedWhileTheSendFailed_shouldKeepTheNewerWait() {
        RecordingSfn sfn = new RecordingSfn() {
            @Override
            public SendTaskSuccessResponse sendTaskSuccess(SendTaskSuccessRequest r) {
                // The step's timeout path registered a fresh token while this send was failing.
                h.waits.register(ARN, "token-2", registered.replicationId(), registered.step());
                throw sfnError(503, "ServiceUnavailable");
            }
        };
        WaitCompleter completer = new WaitCompleter(h.waits, h.resources, sfn, h.json);

        assertThatThrownBy(() -> completer.settle(ARN, false)).isInstanceOf(TransientAwsException.class);

        assertThat(h.waits.items.get(ARN).taskToken()).isEqualTo("token-2");
    }
}
