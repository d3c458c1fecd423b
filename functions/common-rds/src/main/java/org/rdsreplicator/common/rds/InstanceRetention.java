package org.rdsreplicator.common.rds;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.naming.Tags;

/**
 * The destination account's retention policy over {@link ManagedResources}, in one place for prune-instances
 * (which carries the plan out) and the destination preflight (whose dry run reports it). See
 * {@link #plan} for the rules.
 */
public final class InstanceRetention {
    private static final Logger LOG = Logger.getLogger(InstanceRetention.class);

    private InstanceRetention() {
    }

    /**
     * The plan for the managed {@code instances} and {@code snapshots} of the account, never deleting
     * {@code secretTarget} (the instance the secret names). Instances tagged {@code role=cleanup} go; not yet
     * promoted ones stay and take no place; of the promoted ones ({@code current} or {@code retired}), ranked
     * newest first by {@link #rankTime}, the {@code keep} newest stay, older retired ones go, older current ones
     * stay. Available {@code local-copy} snapshots go when their replication's instance exists and is available,
     * or when no instance of their replication exists and the copy is older than the oldest promoted instance
     * kept by rank.
     */
    public static DeletionPlan plan(List<ManagedResource> instances, List<ManagedResource> snapshots, int keep,
            String secretTarget) {
        List<ManagedResource> newestFirst = new ArrayList<>(instances);
        newestFirst.sort(Comparator.comparing(InstanceRetention::rankTime).thenComparing(ManagedResource::id).reversed());
        DeletionPlan.Builder plan = DeletionPlan.protecting(secretTarget);
        List<ManagedResource> keptPromoted = decideInstances(newestFirst, keep, plan);
        decideLocalCopies(snapshots, newestFirst, keptPromoted, plan);
        return plan.build();
    }

    /** Decides the instances, newest first; returns the promoted ones kept by rank, newest first. */
    static List<ManagedResource> decideInstances(List<ManagedResource> newestFirst, int keep,
            DeletionPlan.Builder plan) {
        List<ManagedResource> keptByRank = new ArrayList<>();
        for (ManagedResource i : newestFirst) {
            String role = i.tag(Tags.ROLE).orElse(null);
            if (i.hasRole(Tags.ROLE_CLEANUP)) {
                plan.delete(i, "tagged " + Tags.ROLE + "=" + Tags.ROLE_CLEANUP);
            } else if (!i.hasRole(Tags.ROLE_CURRENT) && !i.hasRole(Tags.ROLE_RETIRED)) {
                plan.keep(i, "not promoted (role " + role + "): a restore in flight takes no place in retention");
            } else if (keptByRank.size() < keep) {
                keptByRank.add(i);
                plan.keep(i, "one of the " + keep + " newest promoted instances (role " + role + ")");
            } else if (i.hasRole(Tags.ROLE_CURRENT)) {
                plan.keep(i, "older than the " + keep + " newest, but role " + role);
            } else {
                plan.delete(i, "older than the " + keep + " newest promoted instances (role " + role + ")");
            }
        }
        return keptByRank;
    }

    /** Local copies: see {@link #plan}. Copies still being made, or whose restore is still running, stay. */
    private static void decideLocalCopies(List<ManagedResource> snapshots, List<ManagedResource> instances,
            List<ManagedResource> keptPromoted, DeletionPlan.Builder plan) {
        // Null when nothing is kept or the oldest kept instance has no creation time yet: then no copy is
        // old enough to go by age.
        Instant oldestKept = keptPromoted.isEmpty() ? null : keptPromoted.get(keptPromoted.size() - 1).created();
        for (ManagedResource s : snapshots) {
            if (s.kind() != Kind.LOCAL_COPY) {
                continue;
            }
            if (!s.isAvailable()) {
                plan.keep(s, "local copy is " + s.status());
                continue;
            }
            String replication = s.replicationId().orElse(null);
            List<ManagedResource> restored = instances.stream().filter(i -> i.belongsTo(replication)).toList();
            if (!restored.isEmpty()) {
                if (restored.stream().anyMatch(ManagedResource::isAvailable)) {
                    plan.delete(s, "the instance of replication " + replication + " is available");
                } else {
                    plan.keep(s, "the instance of replication " + replication + " is not available yet");
                }
            } else if (oldestKept != null && s.created() != null && s.created().isBefore(oldestKept)) {
                plan.delete(s, "no instance of replication " + replication + "; older than the oldest kept one");
            } else {
                plan.keep(s, "no instance of replication " + replication + " yet; not older than the oldest kept one");
            }
        }
    }

    /**
     * When the instance's data is from: the {@link Tags#SNAPSHOT_TIME} tag, else its creation time; one
     * with neither yet counts as the newest.
     */
    public static Instant rankTime(ManagedResource i) {
        String tagged = i.tag(Tags.SNAPSHOT_TIME).orElse(null);
        if (tagged != null) {
            try {
                return Instant.parse(tagged);
            } catch (DateTimeParseException e) {
                LOG.warnf("%s has an unreadable %s tag '%s': ranked by its creation time", i.id(), Tags.SNAPSHOT_TIME,
                        tagged);
            }
        }
        return i.created() == null ? Instant.MAX : i.created();
    }
}
