package org.rdsreplicator.common.naming;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The tags that mark what this system created. Deletion only ever touches resources carrying
 * {@link #MANAGED_BY} with the value {@link #MANAGED_BY_VALUE}; IAM policies condition deletes on it.
 */
public final class Tags {
    public static final String MANAGED_BY = "rds-replicator:managed-by";
    public static final String MANAGED_BY_VALUE = "rds-replicator";
    public static final String REPLICATION_ID = "rds-replicator:replication-id";
    public static final String SOURCE_INSTANCE = "rds-replicator:source-instance";
    public static final String SOURCE_ACCOUNT = "rds-replicator:source-account";
    /**
     * On what is made of an Aurora cluster (its snapshots, a restored cluster and its writer): the source DB
     * cluster (instead of {@link #SOURCE_INSTANCE}).
     */
    public static final String SOURCE_CLUSTER = "rds-replicator:source-cluster";
    /** Life-cycle role of a restored instance: {@code current}, {@code retired} or {@code cleanup}. */
    public static final String ROLE = "rds-replicator:role";
    /**
     * What a snapshot is in the flow: {@link #KIND_SOURCE_SNAPSHOT}, {@link #KIND_SHAREABLE_COPY},
     * {@link #KIND_LOCAL_COPY} or {@link #KIND_FINAL_SNAPSHOT}. Restored instances carry no kind tag.
     */
    public static final String KIND = "rds-replicator:kind";
    /**
     * On a restored instance: the creation time of the source snapshot it was restored from, as an
     * ISO-8601 instant; retention ranks instances by it, and a promotion never moves the secret to an
     * instance whose snapshot is older than the current one's.
     */
    public static final String SNAPSHOT_TIME = "rds-replicator:snapshot-time";

    /** Source account: the snapshot create-snapshot takes of the source instance. */
    public static final String KIND_SOURCE_SNAPSHOT = "source-snapshot";
    /** Source account: the re-encrypted copy copy-snapshot makes and share-snapshot shares. */
    public static final String KIND_SHAREABLE_COPY = "shareable-copy";
    /** Destination account: the copy copy-shared-snapshot makes of the shared snapshot. */
    public static final String KIND_LOCAL_COPY = "local-copy";
    /** Destination account: the final snapshot retention leaves of a deleted instance when configured. */
    public static final String KIND_FINAL_SNAPSHOT = "final-snapshot";

    /**
     * On a restored instance: the run (replication or rollback id) that last set its master password from the
     * secret, so a re-invoked reset step waits for the reset it started instead of starting another.
     */
    public static final String PASSWORD_SET_BY = "rds-replicator:password-set-by";
    /** On a restored instance: the instance the secret named when it was restored. */
    public static final String REPLACES = "rds-replicator:replaces";

    public static final String ROLE_CURRENT = "current";
    public static final String ROLE_RETIRED = "retired";
    public static final String ROLE_CLEANUP = "cleanup";

    /** RDS limit on a tag value. */
    public static final int MAX_VALUE_LENGTH = 256;

    private Tags() {
    }

    /** The ownership tags of a resource made for {@code replicationId} from {@code sourceInstance}. */
    public static List<Tag> managed(String replicationId, String sourceInstance, String kind) {
        List<Tag> tags = new ArrayList<>();
        tags.add(tag(MANAGED_BY, MANAGED_BY_VALUE));
        tags.add(tag(REPLICATION_ID, replicationId));
        tags.add(tag(SOURCE_INSTANCE, sourceInstance));
        if (kind != null) {
            tags.add(tag(KIND, kind));
        }
        return tags;
    }

    /** The ownership tags of a cluster (or its writer) restored for {@code replicationId} from {@code sourceCluster}. */
    public static List<Tag> managedCluster(String replicationId, String sourceCluster) {
        return managedCluster(replicationId, sourceCluster, null);
    }

    /** The ownership tags of a snapshot made for {@code replicationId} of the Aurora cluster {@code sourceCluster}. */
    public static List<Tag> managedCluster(String replicationId, String sourceCluster, String kind) {
        List<Tag> tags = new ArrayList<>();
        tags.add(tag(MANAGED_BY, MANAGED_BY_VALUE));
        tags.add(tag(REPLICATION_ID, replicationId));
        tags.add(tag(SOURCE_CLUSTER, sourceCluster));
        if (kind != null) {
            tags.add(tag(KIND, kind));
        }
        return tags;
    }

    public static Tag tag(String key, String value) {
        String v = value == null ? "" : value;
        if (v.length() > MAX_VALUE_LENGTH) {
            v = v.substring(0, MAX_VALUE_LENGTH);
        }
        return Tag.builder().key(key).value(v).build();
    }

    public static Optional<String> value(Collection<Tag> tags, String key) {
        if (tags == null) {
            return Optional.empty();
        }
        return tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
    }

    /** True when the tags say this system made the resource. */
    public static boolean isManaged(Collection<Tag> tags) {
        return value(tags, MANAGED_BY).filter(MANAGED_BY_VALUE::equals).isPresent();
    }

    public static Map<String, String> asMap(Collection<Tag> tags) {
        return tags.stream().collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }
}
