package org.rdsreplicator.rollback;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Input of rollback.
 *
 * @param dbInstanceIdentifier the retained earlier instance the secret is to point at again (required)
 * @param reason               why (optional, free text up to 256 characters): written to the log
 */
@RegisterForReflection
public record RollbackRequest(String dbInstanceIdentifier, String reason) {
}
