package org.rdsreplicator.common.rds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.rdsreplicator.common.naming.Tags;

/**
 * What a policy decided about managed resources, each with the reason. A policy proposes with
 * {@link Builder#delete} and {@link Builder#keep}; the builder applies the rules no policy can override,
 * turning a proposed delete into {@code notDeleted}:
 * <ul>
 * <li>an instance when the plan does not know the secret's target ({@link #forSnapshots()});</li>
 * <li>the instance the database secret points at;</li>
 * <li>a deletion-protected instance;</li>
 * <li>an instance tagged {@code rds-replicator:role=current}.</li>
 * </ul>
 * The same rules hold for an Aurora DB cluster (the secret's target is then the cluster it names).
 * Resources without the managed-by tag cannot be in a plan at all ({@link ManagedResource}).
 * {@link ManagedResources#carryOut} returns the plan as carried out: {@code deleted} then holds what is
 * being deleted or was already gone, and {@code notDeleted} also what RDS refused.
 *
 * @param deleted    to delete (planned) or deleting / gone (carried out)
 * @param kept       left in place by the policy
 * @param notDeleted the policy would delete them but a rule above, or RDS, did not let it
 */
public record DeletionPlan(List<Decision> deleted, List<Decision> kept, List<Decision> notDeleted) {

    /** One resource and why it is where it is. */
    public record Decision(ManagedResource resource, String reason) {
        /** {@code "<arn>: <reason>"}. */
        public String describe() {
            return resource.arn() + ": " + reason;
        }
    }

    public DeletionPlan {
        deleted = List.copyOf(deleted);
        kept = List.copyOf(kept);
        notDeleted = List.copyOf(notDeleted);
    }

    /** A plan for snapshots only: any instance proposed for deletion is refused. */
    public static Builder forSnapshots() {
        return new Builder(false, null, null);
    }

    /**
     * A plan that may delete instances, never {@code secretTarget} (the instance identifier the database
     * secret names, compared ignoring case; null or blank when it names none).
     */
    public static Builder protecting(String secretTarget) {
        return protecting(secretTarget, secretTarget);
    }

    /**
     * A plan that may delete instances and clusters, never the instance {@code secretInstance} nor the cluster
     * {@code secretCluster} the database secret names (either null or blank when it names none).
     */
    public static Builder protecting(String secretInstance, String secretCluster) {
        return new Builder(true, blankToNull(secretInstance), blankToNull(secretCluster));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    /** The identifiers of {@code decisions} that match {@code which}, in order. */
    public static List<String> ids(List<Decision> decisions, Predicate<ManagedResource> which) {
        return decisions.stream().map(Decision::resource).filter(which).map(ManagedResource::id).toList();
    }

    /** The identifiers of {@code decisions}, in order. */
    public static List<String> ids(List<Decision> decisions) {
        return ids(decisions, r -> true);
    }

    /** Collects a policy's decisions; see {@link DeletionPlan} for the rules it enforces. */
    public static final class Builder {
        private final boolean secretKnown;
        private final String secretTarget;
        private final String secretCluster;
        private final List<Decision> deleted = new ArrayList<>();
        private final List<Decision> kept = new ArrayList<>();
        private final List<Decision> notDeleted = new ArrayList<>();

        private Builder(boolean secretKnown, String secretTarget, String secretCluster) {
            this.secretKnown = secretKnown;
            this.secretTarget = secretTarget;
            this.secretCluster = secretCluster;
        }

        /** The policy wants {@code r} deleted because {@code reason}; it is unless a fixed rule forbids it. */
        public Builder delete(ManagedResource r, String reason) {
            String refusal = refusal(r);
            if (refusal == null) {
                deleted.add(new Decision(r, reason));
            } else {
                notDeleted.add(new Decision(r, refusal));
            }
            return this;
        }

        /** True when a fixed rule forbids deleting {@code r} (what {@link #delete} would refuse). */
        public boolean refuses(ManagedResource r) {
            return refusal(r) != null;
        }

        /** The policy leaves {@code r} in place because {@code reason}. */
        public Builder keep(ManagedResource r, String reason) {
            kept.add(new Decision(r, reason));
            return this;
        }

        private String refusal(ManagedResource r) {
            if (r.isCluster()) {
                // A cluster as an instance: protecting(...) then names the cluster the secret points to.
                return !secretKnown ? "no DB cluster is deleted without knowing the cluster the secret points to"
                        : secretCluster != null && secretCluster.equalsIgnoreCase(r.id()) ? "it is the cluster the secret points to"
                        : r.deletionProtection() ? "deletion protection is on"
                        : r.hasRole(Tags.ROLE_CURRENT) ? "it is tagged " + Tags.ROLE + "=" + Tags.ROLE_CURRENT : null;
            }
            if (!r.isInstance()) {
                return null;
            }
            if (!secretKnown) {
                return "no DB instance is deleted without knowing the instance the secret points to";
            }
            if (secretTarget != null && secretTarget.equalsIgnoreCase(r.id())) {
                return "it is the instance the secret points to";
            }
            if (r.deletionProtection()) {
                return "deletion protection is on";
            }
            if (r.hasRole(Tags.ROLE_CURRENT)) {
                return "it is tagged " + Tags.ROLE + "=" + Tags.ROLE_CURRENT;
            }
            return null;
        }

        public DeletionPlan build() {
            return new DeletionPlan(deleted, kept, notDeleted);
        }
    }
}
