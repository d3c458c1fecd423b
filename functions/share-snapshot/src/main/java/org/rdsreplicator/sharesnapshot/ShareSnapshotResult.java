package org.rdsreplicator.sharesnapshot;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of share-snapshot.
 *
 * @param snapshotArn the snapshot now shared
 * @param sharedWith  the configured destination accounts, each confirmed in the snapshot's
 *                    {@code restore} attribute
 */
@RegisterForReflection
public record ShareSnapshotResult(String snapshotArn, List<String> sharedWith) {
}
