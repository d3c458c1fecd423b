package org.rdsreplicator.common.rds;

import java.util.Optional;

import org.rdsreplicator.common.naming.Tags;

/**
 * What a managed resource is in the flow, read from its type and its {@link Tags#KIND} tag. The tag
 * values themselves live in {@link Tags}.
 */
public enum Kind {
    SOURCE_SNAPSHOT(Tags.KIND_SOURCE_SNAPSHOT, Side.SOURCE),
    SHAREABLE_COPY(Tags.KIND_SHAREABLE_COPY, Side.SOURCE),
    LOCAL_COPY(Tags.KIND_LOCAL_COPY, Side.DESTINATION),
    FINAL_SNAPSHOT(Tags.KIND_FINAL_SNAPSHOT, Side.DESTINATION),
    /** Every managed DB instance: only restore-instance creates instances (they carry no kind tag). */
    RESTORED_INSTANCE(null, Side.DESTINATION),
    /** Every managed Aurora DB cluster: only restore-cluster creates clusters (they carry no kind tag). */
    RESTORED_CLUSTER(null, Side.DESTINATION),
    /** A managed snapshot whose kind tag is missing or unknown: no policy deletes it. */
    OTHER_SNAPSHOT(null, null);

    private final String tagValue;
    private final Side side;

    Kind(String tagValue, Side side) {
        this.tagValue = tagValue;
        this.side = side;
    }

    /** The {@link Tags#KIND} value of this kind (empty for instances and unknown snapshots). */
    public Optional<String> tagValue() {
        return Optional.ofNullable(tagValue);
    }

    /** The workflow that makes resources of this kind (empty for {@link #OTHER_SNAPSHOT}). */
    public Optional<Side> side() {
        return Optional.ofNullable(side);
    }

    /** The kind of a snapshot tagged {@code kind=tagValue}. */
    public static Kind ofSnapshot(String tagValue) {
        for (Kind k : values()) {
            if (k.tagValue != null && k.tagValue.equals(tagValue)) {
                return k;
            }
        }
        return OTHER_SNAPSHOT;
    }
}
