package org.rdsreplicator.common.handler;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * Marks a Lambda handler bean: every invocation runs with the input's replication id in the MDC (when
 * the input is a {@link HasReplicationId}) and reports a transient AWS failure as
 * {@link org.rdsreplicator.common.errors.TransientAwsException}, the one name the state machines retry
 * (see {@link StepHandlerInterceptor}). Put it on the class next to {@code @Named}.
 */
@InterceptorBinding
@Retention(RUNTIME)
@Target({ TYPE, METHOD })
public @interface StepHandler {
}
