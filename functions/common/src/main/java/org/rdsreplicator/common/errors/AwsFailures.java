package org.rdsreplicator.common.errors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one decision "may this AWS failure pass by itself?", for every service and every step. Transient
 * failures become {@link TransientAwsException}, which the state machines retry; everything else keeps
 * its meaning. Applied at every handler's boundary ({@link org.rdsreplicator.common.handler.StepHandler})
 * and by the catch sites that would otherwise give a failure a terminal name.
 * <p>
 * Transient: a service error that is throttling (HTTP 429 or a throttling code, including SNS's
 * {@code Throttled} and {@code KMSThrottling}), any HTTP 5xx, or a timeout code; a client-side timeout
 * ({@link ApiCallTimeoutException}, {@link ApiCallAttemptTimeoutException}), the SDK's
 * {@link RetryableException}, or a connection failure (an {@link IOException} under an
 * {@link SdkClientException}). A named error keeps its name: it is never re-read as transient.
 */
public final class AwsFailures {
    /** Codes of transient failures that services report with a 4xx status (on top of the SDK's throttling codes). */
    private static final Set<String> TRANSIENT_CODES = Set.of("Throttled", "KMSThrottling", "RequestTimeout",
            "RequestTimeoutException", "PriorRequestNotComplete", "InternalError", "InternalFailure",
            "ServiceUnavailable");

    private AwsFailures() {
    }

    /** True when {@code t}, or the first AWS SDK or named error among its causes, is transient. */
    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ReplicationException) {
                return c instanceof TransientAwsException;
            }
            if (c instanceof AwsServiceException e) {
                return isTransientService(e);
            }
            if (c instanceof SdkClientException e) {
                return isTransientClient(e);
            }
            if (c instanceof SdkException) {
                return false;
            }
        }
        return false;
    }

    /**
     * {@link TransientAwsException} for a transient {@code e} (cause kept; message names service, code
     * and status only, never the request or response body), otherwise {@code e} unchanged.
     *
     * @param what what was being done, e.g. {@code "cannot read the database secret"}; may be null
     */
    public static RuntimeException translate(RuntimeException e, String what) {
        if (e instanceof TransientAwsException || !isTransient(e)) {
            return e;
        }
        return new TransientAwsException((what == null ? "" : what + ": ") + "transient AWS failure, "
                + describe(e), e);
    }

    /** Throws {@link #translate}'s {@link TransientAwsException} when {@code e} is transient; returns otherwise. */
    public static void throwIfTransient(RuntimeException e, String what) {
        RuntimeException t = translate(e, what);
        if (t instanceof TransientAwsException) {
            throw t;
        }
    }

    private static boolean isTransientService(AwsServiceException e) {
        AwsErrorDetails d = e.awsErrorDetails();
        return e.isThrottlingException() || e.statusCode() >= 500
                || (d != null && d.errorCode() != null && TRANSIENT_CODES.contains(d.errorCode()));
    }

    private static boolean isTransientClient(SdkClientException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || e instanceof RetryableException) {
            return true;
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException || c instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /** Service, error code, HTTP status and request id; or the client exception's class. */
    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AwsServiceException e) {
                AwsErrorDetails d = e.awsErrorDetails();
                String service = d == null || d.serviceName() == null ? "AWS" : d.serviceName();
                String code = d == null || d.errorCode() == null ? e.getClass().getSimpleName() : d.errorCode();
                return service + " " + code + " (HTTP " + e.statusCode()
                        + (e.requestId() == null ? "" : ", request " + e.requestId()) + ")";
            }
            if (c instanceof SdkClientException) {
                return "client-side " + c.getClass().getSimpleName();
            }
        }
        return t.getClass().getSimpleName();
    }
}
