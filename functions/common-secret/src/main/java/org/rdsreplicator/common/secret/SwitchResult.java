package org.rdsreplicator.common.secret;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What an endpoint switch did.
 *
 * @param previousInstance the instance the secret named before the call (equal to {@code currentInstance}
 *                         when nothing changed; null when the secret named none)
 * @param currentInstance  the instance the secret names now
 * @param secretVersionId  the secret version that is current after the call
 * @param changed          false when nothing was written (the secret already pointed at the instance, or the
 *                         run was superseded)
 * @param superseded       true when the instance holds an older snapshot than the current one: the secret was
 *                         left alone and the instance tagged {@code role=cleanup}
 */
@RegisterForReflection
public record SwitchResult(String previousInstance, String currentInstance, String secretVersionId,
        boolean changed, boolean superseded) {
}
