package org.rdsreplicator.common.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.interceptor.InvocationContext;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.logging.ReplicationLog;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.rds.model.RdsException;

/** The handler boundary without a container; the function tests prove ArC applies it to the handlers. */
class StepHandlerInterceptorTest {
    record Input(String replicationId) implements HasReplicationId {
    }

    final StepHandlerInterceptor interceptor = new StepHandlerInterceptor();

    @Test
    void inputWithReplicationId_shouldBeInTheMdcDuringTheCallOnly() throws Exception {
        Object seen = interceptor.around(context(new Input("run-1"), () -> MDC.get(ReplicationLog.KEY)));

        assertThat(seen).isEqualTo("run-1");
        assertThat(MDC.get(ReplicationLog.KEY)).isNull();
    }

    @Test
    void throttledCall_shouldLeaveAsTransientAwsExceptionAndClearTheMdc() {
        RdsException throttle = (RdsException) RdsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Rds").errorCode("Throttling").build())
                .statusCode(400).build();

        assertThatThrownBy(() -> interceptor.around(context(new Input("run-1"), () -> {
            throw throttle;
        }))).isInstanceOf(TransientAwsException.class).hasCause(throttle);
        assertThat(MDC.get(ReplicationLog.KEY)).isNull();
    }

    @Test
    void namedOrTerminalError_shouldLeaveUnchanged() {
        InvalidInputException named = new InvalidInputException("bad");
        RdsException denied = (RdsException) RdsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").build()).statusCode(403).build();

        assertThatThrownBy(() -> interceptor.around(context("not a step input", () -> {
            throw named;
        }))).isSameAs(named);
        assertThatThrownBy(() -> interceptor.around(context(null, () -> {
            throw denied;
        }))).isSameAs(denied);
    }

    static InvocationContext context(Object input, Callable<Object> body) {
        return new InvocationContext() {
            @Override
            public Object proceed() throws Exception {
                return body.call();
            }

            @Override
            public Object[] getParameters() {
                return new Object[] { input, null };
            }

            @Override
            public Object getTarget() {
                return null;
            }

            @Override
            public Object getTimer() {
                return null;
            }

            @Override
            public Method getMethod() {
                return null;
            }

            @Override
            public Constructor<?> getConstructor() {
                return null;
            }

            @Override
            public void setParameters(Object[] params) {
            }

            @Override
            public Map<String, Object> getContextData() {
                return Map.of();
            }
        };
    }
}
