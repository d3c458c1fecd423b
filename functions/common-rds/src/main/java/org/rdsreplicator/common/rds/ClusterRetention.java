package org.rdsreplicator.common.rds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.rds.DeletionPlan.Decision;

/**
 * The destination's retention policy for Aurora clusters, the same rules as {@link InstanceRetention}'s for
 * instances: a cluster tagged {@code role=cleanup} goes; a cluster not yet promoted stays and takes no place; of the
 * promoted ones ({@code current} or {@code retired}), ranked newest first by their snapshot time, the {@code keep}
 * newest stay, older retired ones go, older current ones stay; never the cluster the secret names, never a
 * deletion-protected or {@code current} one ({@link DeletionPlan}). A cluster that goes takes its writer
 * ({@code <cluster>-writer} of the same replication) with it, the writer first: RDS deletes a cluster only once it has
 * no instance, so a cluster whose writer is still being deleted is refused now and deleted by a later run.
 */
public final class ClusterRetention {
    private ClusterRetention() {
    }

    /**
     * @param clusters      the managed clusters of the account
     * @param instances     the managed instances of the account (the clusters' writers among them)
     * @param keep          how many promoted clusters stay
     * @param secretCluster the cluster the database secret names (null when it names none)
     */
    public static DeletionPlan plan(List<ManagedResource> clusters, List<ManagedResource> instances, int keep,
            String secretCluster) {
        List<ManagedResource> newestFirst = new ArrayList<>(clusters);
        newestFirst.sort(Comparator.comparing(InstanceRetention::rankTime).thenComparing(ManagedResource::id).reversed());
        DeletionPlan.Builder decided = DeletionPlan.protecting(secretCluster);
        InstanceRetention.decideInstances(newestFirst, keep, decided);
        DeletionPlan byRank = decided.build();

        DeletionPlan.Builder writers = DeletionPlan.protecting(secretCluster);
        for (Decision d : byRank.deleted()) {
            for (ManagedResource w : writersOf(d.resource(), instances)) {
                writers.delete(w, "writer of " + d.resource().id() + ", which goes: " + d.reason());
            }
        }
        DeletionPlan writerPlan = writers.build();
        List<Decision> deleted = new ArrayList<>(writerPlan.deleted());
        deleted.addAll(byRank.deleted());
        List<Decision> notDeleted = new ArrayList<>(byRank.notDeleted());
        notDeleted.addAll(writerPlan.notDeleted());
        return new DeletionPlan(deleted, byRank.kept(), notDeleted);
    }

    /** The cluster's writer as create-writer names and tags it. */
    static List<ManagedResource> writersOf(ManagedResource cluster, List<ManagedResource> instances) {
        String writer = Identifiers.withSuffix(cluster.id(), "writer");
        return instances.stream().filter(i -> i.id().equalsIgnoreCase(writer)
                && i.replicationId().equals(cluster.replicationId())).toList();
    }
}
