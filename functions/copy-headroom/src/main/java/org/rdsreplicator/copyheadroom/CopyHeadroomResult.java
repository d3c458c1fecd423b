package org.rdsreplicator.copyheadroom;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What copy-headroom did (the task's result is what the wake-up sends, not this).
 *
 * @param kind    the copy kind waited for
 * @param waiting true when it waits for a copy to settle; false when a slot was free and it went on at once
 */
@RegisterForReflection
public record CopyHeadroomResult(String kind, boolean waiting) {
}
