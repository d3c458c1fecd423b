package org.rdsreplicator.common.handler;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.logging.ReplicationLog;

/**
 * The boundary of every handler ({@link StepHandler}): the replication id goes into the MDC for the
 * invocation, and an exception leaving the handler is passed through {@link AwsFailures#translate}, so
 * a throttled, failing (5xx) or timed-out AWS call of any service in any step reaches Step Functions
 * as {@link TransientAwsException} (retried) and never as a raw SDK error that would take the failure
 * path. Named errors leave unchanged. ArC generates the interception at build time (no reflection).
 */
@StepHandler
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class StepHandlerInterceptor {
    private static final Logger LOG = Logger.getLogger(StepHandlerInterceptor.class);

    @AroundInvoke
    Object around(InvocationContext ctx) throws Exception {
        Object[] params = ctx.getParameters();
        String replicationId = params.length > 0 && params[0] instanceof HasReplicationId in ? in.replicationId()
                : null;
        try (ReplicationLog.Scope ignored = ReplicationLog.open(replicationId)) {
            try {
                return ctx.proceed();
            } catch (RuntimeException e) {
                RuntimeException reported = AwsFailures.translate(e, null);
                if (reported != e) {
                    LOG.warnf("%s; the state machine retries the step", reported.getMessage());
                }
                throw reported;
            }
        }
    }
}
