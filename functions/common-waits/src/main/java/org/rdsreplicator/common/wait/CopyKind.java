package org.rdsreplicator.common.wait;

import java.util.Locale;

import org.rdsreplicator.common.errors.InvalidInputException;

/**
 * The two copy quotas of RDS, per account and Region: DB snapshot copies (20 in progress by default) and
 * Aurora DB cluster snapshot copies (5).
 */
public enum CopyKind {
    /** {@code CopyDBSnapshot}: a DB instance's snapshot. */
    INSTANCE,
    /** {@code CopyDBClusterSnapshot}: an Aurora cluster's snapshot. */
    CLUSTER;

    /** The name used in payloads, keys and logs: {@code instance} or {@code cluster}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws InvalidInputException unless {@code label} is {@code instance} or {@code cluster} */
    public static CopyKind parse(String label) {
        for (CopyKind k : values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new InvalidInputException("kind '" + label + "' is not a copy kind (instance or cluster)");
    }

    /** The kind a copy of this RDS resource type counts against: {@code snapshot} or {@code cluster-snapshot}. */
    public static java.util.Optional<CopyKind> ofResourceType(String rdsArnType) {
        return switch (String.valueOf(rdsArnType)) {
            case "snapshot" -> java.util.Optional.of(INSTANCE);
            case "cluster-snapshot" -> java.util.Optional.of(CLUSTER);
            default -> java.util.Optional.empty();
        };
    }
}
