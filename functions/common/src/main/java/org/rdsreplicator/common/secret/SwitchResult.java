package org.rdsreplicator.common.secret;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What an endpoint switch did.
 *
 * @param previousInstance the instance the secret named before the call (equal to {@code currentInstance}
 *                         when nothing changed; null when the secret named none)
 * @param currentInstance  the instance the secret names now
 * @param secretVersionId  the secret version that is current after the call
 * @param changed          false when the secret already pointed at the instance (nothing was written)
 */
@RegisterForReflection
public record SwitchResult(String previousInstance, String currentInstance, String secretVersionId,
        boolean changed) {
}
