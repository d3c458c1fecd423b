package org.rdsreplicator.common.wait;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ResourceDeletedException;
import org.rdsreplicator.common.errors.ResourceFailedException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.logging.ReplicationLog;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.rds.ResourceState;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Completes a waiting task when its resource has settled. Used by the event router for every RDS
 * event, and by each step right after it started RDS work (the resource may already be done before
 * any event arrives: that closes the race). Order:
 * <ol>
 * <li>find the wait; Describe the resource (not settled: keep waiting);</li>
 * <li>claim the wait (conditional delete): among concurrent events and the step, one wins;</li>
 * <li>send exactly one SendTaskSuccess or SendTaskFailure;</li>
 * <li>if the send fails because the token is spent (TaskTimedOut, InvalidToken, TaskDoesNotExist),
 * the task is already over: the wait stays deleted. If it fails for any other reason, the claim is
 * put back ({@link WaitRegistry#restore}: the same registration, only if no newer one exists) and the
 * failure is rethrown ({@link TransientAwsException} when transient), so the caller's invocation
 * fails and its retry, the next event or the step's timeout path completes the task. A completion is
 * never lost between the claim and the send.</li>
 * </ol>
 */
@ApplicationScoped
public class WaitCompleter {
    private static final Logger LOG = Logger.getLogger(WaitCompleter.class);
    /** The step names of copy steps begin with this ({@code copy-snapshot}, {@code copy-shared-snapshot}, ...). */
    public static final String COPY_STEP_PREFIX = "copy";

    /** What {@link #settle} did. */
    public enum Outcome {
        /** No wait is registered for the resource: not ours, or already completed. */
        NO_WAIT,
        /** The resource is still being worked on: keep waiting. */
        PENDING,
        /** Task success sent with the resource description. */
        SUCCEEDED,
        /** Task failure sent with a named error. */
        FAILED,
        /** Another event (or the step) claimed the wait first. */
        ALREADY_CLAIMED,
        /** The task had already timed out or finished: the token is spent. */
        STALE_TOKEN
    }

    private final WaitRegistry registry;
    private final RdsResources resources;
    private final SfnClient sfn;
    private final ObjectMapper json;
    private final CopyHeadroom headroom;

    /** Without copy-headroom wake-ups (unit tests of steps that never wait on a copy). */
    public WaitCompleter(WaitRegistry registry, RdsResources resources, SfnClient sfn, ObjectMapper json) {
        this(registry, resources, sfn, json, null);
    }

    @Inject
    public WaitCompleter(WaitRegistry registry, RdsResources resources, SfnClient sfn, ObjectMapper json,
            CopyHeadroom headroom) {
        this.registry = registry;
        this.resources = resources;
        this.sfn = sfn;
        this.json = json;
        this.headroom = headroom;
    }

    /**
     * Completes the wait on {@code resourceArn} if the resource has settled.
     *
     * @param goneMeansPending true right after the step created the resource, when a Describe may not
     *                         see it yet; false for events, where "not found" means deleted
     */
    public Outcome settle(String resourceArn, boolean goneMeansPending) {
        Optional<WaitRegistration> wait = registry.find(resourceArn);
        if (wait.isEmpty()) {
            return Outcome.NO_WAIT;
        }
        return ReplicationLog.with(wait.get().replicationId(), () -> settle(wait, resourceArn, goneMeansPending));
    }

    private Outcome settle(Optional<WaitRegistration> wait, String resourceArn, boolean goneMeansPending) {
        ResourceState state = resources.state(RdsArn.parse(resourceArn));
        if (!state.isSettled() || (state.phase() == ResourceState.Phase.GONE && goneMeansPending)) {
            LOG.infof("%s is %s: still waiting (step %s)", resourceArn, state.status(), wait.get().step());
            return Outcome.PENDING;
        }
        if (!registry.claim(wait.get())) {
            LOG.infof("wait on %s was already claimed", resourceArn);
            return Outcome.ALREADY_CLAIMED;
        }
        String token = wait.get().taskToken();
        Outcome outcome = send(wait.get(), token, state, resourceArn);
        // The copy settled (even if its own task was no longer open): its slot is free.
        wakeCopyWaiter(wait.get(), resourceArn);
        return outcome;
    }

    /**
     * Every copy completion passes here (an event, the step's own settle, or its re-armed wait): a copy slot of that
     * kind is free again, so the oldest copy step waiting for headroom is woken. A failed wake-up is only logged: the
     * waiter's own timeout re-checks.
     */
    private void wakeCopyWaiter(WaitRegistration settled, String resourceArn) {
        if (headroom == null || settled.step() == null || !settled.step().startsWith(COPY_STEP_PREFIX)) {
            return;
        }
        try {
            headroom.copySettled(RdsArn.parse(resourceArn));
        } catch (RuntimeException e) {
            LOG.warnf("could not wake a copy waiting for headroom after %s settled (%s): its re-check will",
                    resourceArn, e.getClass().getSimpleName());
        }
    }

    private Outcome send(WaitRegistration wait, String token, ResourceState state, String resourceArn) {
        try {
            switch (state.phase()) {
                case DONE -> {
                    sfn.sendTaskSuccess(r -> r.taskToken(token).output(toJson(state.description())));
                    LOG.infof("%s is %s: step %s of %s completed", resourceArn, state.status(), wait.step(),
                            wait.replicationId());
                    return Outcome.SUCCEEDED;
                }
                case FAILED -> {
                    fail(token, ResourceFailedException.class, resourceArn + " ended in status " + state.status());
                    return Outcome.FAILED;
                }
                default -> {
                    fail(token, ResourceDeletedException.class, resourceArn + " no longer exists");
                    return Outcome.FAILED;
                }
            }
        } catch (TaskTimedOutException | InvalidTokenException | TaskDoesNotExistException e) {
            LOG.warnf("task waiting on %s is no longer open (%s): its timeout path takes over", resourceArn,
                    e.getClass().getSimpleName());
            return Outcome.STALE_TOKEN;
        } catch (RuntimeException e) {
            throw unclaim(wait, e);
        }
    }

    /** Puts the claimed wait back after its completion could not be sent; returns what to throw. */
    private RuntimeException unclaim(WaitRegistration claimed, RuntimeException sendFailure) {
        RuntimeException failure = AwsFailures.translate(sendFailure,
                "cannot complete step " + claimed.step() + " waiting on " + claimed.resourceArn());
        try {
            if (registry.restore(claimed)) {
                LOG.warnf("completing %s failed (%s): the wait is registered again for a retry",
                        claimed.resourceArn(), sendFailure.getClass().getSimpleName());
            } else {
                LOG.warnf("completing %s failed (%s); a newer wait is registered, it stays", claimed.resourceArn(),
                        sendFailure.getClass().getSimpleName());
            }
        } catch (RuntimeException restoring) {
            // The task's own timeout path still completes it (the step is invoked again and settles).
            LOG.errorf("completing %s failed and the wait could not be put back (%s)", claimed.resourceArn(),
                    restoring.getClass().getSimpleName());
            failure.addSuppressed(restoring);
        }
        return failure;
    }

    private void fail(String token, Class<? extends RuntimeException> error, String cause) {
        LOG.warnf("sending task failure %s: %s", error.getSimpleName(), cause);
        sfn.sendTaskFailure(r -> r.taskToken(token).error(error.getName()).cause(cause));
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }
}
