package org.rdsreplicator.verifycopy;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of verify-copy (no credential, no connection string with credentials).
 *
 * @param dbInstanceIdentifier the instance verified
 * @param engine               its engine
 * @param outcome              {@code verified} or {@code skipped}
 * @param query                {@code default} (the trivial query) or {@code custom} (the stack's validation query)
 * @param rows                 rows the query returned (counted up to a cap); null when skipped
 * @param minRows              the minimum the query had to return
 * @param tls                  whether the session was required to use TLS
 * @param elapsedMs            connect plus query time; null when skipped
 * @param reason               why verification was skipped; null otherwise
 */
@RegisterForReflection
public record VerifyCopyResult(String dbInstanceIdentifier, String engine, String outcome, String query, Long rows,
        Integer minRows, Boolean tls, Long elapsedMs, String reason) {

    public static final String VERIFIED = "verified";
    public static final String SKIPPED = "skipped";

    static VerifyCopyResult skipped(String instanceId, String engine, String reason) {
        return new VerifyCopyResult(instanceId, engine, SKIPPED, null, null, null, null, null, reason);
    }
}
