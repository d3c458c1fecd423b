package org.rdsreplicator.common.wait;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.CopyQuotaExceededException;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Copy-quota headroom, the one place for both sides and both kinds (instance and cluster snapshot copies):
 * <ul>
 * <li>{@link #require}: a copy step calls it before starting a new copy; with no free slot it raises
 * {@link CopyQuotaExceededException} (as RDS's own {@code SnapshotQuotaExceeded} does) and the state machine
 * waits for headroom instead of failing;</li>
 * <li>{@link #await}: the {@code wait for headroom} step registers its task token in the queue of its account,
 * Region and kind, and goes on at once if a slot is free for it (a re-check after a timeout does the same);</li>
 * <li>{@link #copySettled}: when a copy's wait settles (success or failure, by an event or by the step itself),
 * {@link WaitCompleter} wakes the oldest waiter of that kind.</li>
 * </ul>
 * A slot is free for a replication when the copies in progress plus the waiters ahead of it (older, or woken and
 * about to start) are fewer than the quota: oldest waiter first, and a new copy never overtakes the queue.
 */
@ApplicationScoped
public class CopyHeadroom {
    private static final Logger LOG = Logger.getLogger(CopyHeadroom.class);
    private static final Set<String> IN_PROGRESS = Set.of("creating", "copying", "pending");

    private final RdsClient rds;
    private final HeadroomQueue queue;
    private final SfnClient sfn;
    private final CopyQuotaConfig quotas;

    public CopyHeadroom(RdsClient rds, HeadroomQueue queue, SfnClient sfn, CopyQuotaConfig quotas) {
        this.rds = rds;
        this.queue = queue;
        this.sfn = sfn;
        this.quotas = quotas;
    }

    /** The quota of {@code kind} in this account and Region. */
    public int quota(CopyKind kind) {
        return kind == CopyKind.INSTANCE ? quotas.instance() : quotas.cluster();
    }

    /**
     * Checks that {@code replicationId} may start a copy of {@code kind} now.
     *
     * @throws CopyQuotaExceededException when the copies in progress and the waiters ahead fill the quota
     */
    public void require(CopyKind kind, String accountId, String region, String replicationId) {
        String q = HeadroomQueue.queue(accountId, region, kind);
        int inProgress = copiesInProgress(kind);
        List<HeadroomWaiter> waiters = queue.waiters(q);
        int ahead = ahead(waiters, replicationId);
        int quota = quota(kind);
        if (inProgress + ahead >= quota) {
            throw new CopyQuotaExceededException(kind.label() + " snapshot copies in progress in " + accountId + "/"
                    + region + ": " + inProgress + ", waiting ahead: " + ahead + ", quota " + quota
                    + ": replication " + replicationId + " waits for headroom");
        }
        LOG.infof("copy headroom for %s: %d of %d %s copies in progress, %d waiting ahead", replicationId, inProgress,
                quota, kind.label(), ahead);
    }

    /** The copy of {@code replicationId} started: it leaves the queue (if it was in it). */
    public void started(CopyKind kind, String accountId, String region, String replicationId) {
        try {
            queue.remove(HeadroomQueue.queue(accountId, region, kind), replicationId);
        } catch (RuntimeException e) {
            // Its entry expires by itself (HeadroomQueue.WOKEN_TTL); the copy is what matters.
            LOG.warnf("could not remove %s from the %s headroom queue (%s)", replicationId, kind.label(),
                    e.getClass().getSimpleName());
        }
    }

    /**
     * The {@code wait for headroom} step: registers (keeping the place of an earlier registration) and, when a slot
     * is free for it now, completes its own task at once.
     *
     * @return true when it waits (a settled copy or the next re-check sends it on), false when it went on at once
     */
    public boolean await(CopyKind kind, String accountId, String region, String replicationId, String taskToken) {
        String q = HeadroomQueue.queue(accountId, region, kind);
        queue.register(q, replicationId, taskToken);
        List<HeadroomWaiter> waiters = queue.waiters(q);
        HeadroomWaiter me = waiters.stream().filter(w -> replicationId.equals(w.replicationId())).findFirst()
                .orElse(null);
        int inProgress = copiesInProgress(kind);
        int ahead = ahead(waiters, replicationId);
        if (me == null || inProgress + ahead >= quota(kind)) {
            LOG.infof("%s waits for %s copy headroom: %d in progress, %d waiting ahead, quota %d", replicationId,
                    kind.label(), inProgress, ahead, quota(kind));
            return true;
        }
        if (queue.markWoken(me)) {
            sfn.sendTaskSuccess(r -> r.taskToken(taskToken).output(output(kind, "headroom on re-check")));
            LOG.infof("%s: %s copy headroom now (%d in progress, %d ahead): goes on", replicationId, kind.label(),
                    inProgress, ahead);
        }
        return false;
    }

    /**
     * A copy of this resource settled (its wait was completed, success or failure): wakes the oldest waiter of its
     * kind in its account and Region, if any. A waiter whose task is no longer open is dropped and the next one woken.
     */
    public void copySettled(RdsArn copy) {
        Optional<CopyKind> kind = CopyKind.ofResourceType(copy.type());
        if (kind.isEmpty()) {
            return;
        }
        String q = HeadroomQueue.queue(copy.accountId(), copy.region(), kind.get());
        for (HeadroomWaiter w : queue.waiters(q)) {
            if (w.woken() || !queue.markWoken(w)) {
                continue;
            }
            try {
                sfn.sendTaskSuccess(r -> r.taskToken(w.taskToken())
                        .output(output(kind.get(), "a copy settled: " + copy.identifier())));
                LOG.infof("%s settled: woke %s, the oldest waiter for %s copy headroom", copy, w.replicationId(),
                        kind.get().label());
                return;
            } catch (TaskTimedOutException | InvalidTokenException | TaskDoesNotExistException e) {
                LOG.infof("waiter %s is no longer open (%s): dropped", w.replicationId(), e.getClass().getSimpleName());
                queue.remove(q, w.replicationId());
            }
        }
    }

    /** Copies of {@code kind} in progress in this account and Region: made by this system, or any cross-account or
     * cross-Region copy RDS reports with its source. */
    public int copiesInProgress(CopyKind kind) {
        if (kind == CopyKind.INSTANCE) {
            return (int) rds.describeDBSnapshotsPaginator(r -> r.snapshotType("manual")).dbSnapshots().stream()
                    .filter(s -> inProgress(s.status()))
                    .filter(s -> s.sourceDBSnapshotIdentifier() != null || s.sourceRegion() != null
                            || isOurCopy(s.hasTagList() ? s.tagList() : tags(s.dbSnapshotArn())))
                    .count();
        }
        return (int) rds.describeDBClusterSnapshotsPaginator(r -> r.snapshotType("manual")).dbClusterSnapshots()
                .stream()
                .filter(s -> inProgress(s.status()))
                .filter(s -> s.sourceDBClusterSnapshotArn() != null
                        || isOurCopy(s.hasTagList() ? s.tagList() : tags(s.dbClusterSnapshotArn())))
                .count();
    }

    /** Waiters ahead of {@code replicationId}: those older than its own entry, or every waiter if it has none. */
    static int ahead(List<HeadroomWaiter> oldestFirst, String replicationId) {
        int ahead = 0;
        for (HeadroomWaiter w : oldestFirst) {
            if (replicationId.equals(w.replicationId())) {
                return ahead;
            }
            ahead++;
        }
        return ahead;
    }

    /** The tags of a snapshot a listing returned without them (only those in progress are asked for). */
    private List<Tag> tags(String arn) {
        return rds.listTagsForResource(r -> r.resourceName(arn)).tagList();
    }

    private static boolean inProgress(String status) {
        return status != null && IN_PROGRESS.contains(status.toLowerCase(Locale.ROOT));
    }

    /** A copy this system made: its kind tag names a copy (shareable-copy, local-copy, and the cluster kinds). */
    private static boolean isOurCopy(List<Tag> tags) {
        return Tags.isManaged(tags) && Tags.value(tags, Tags.KIND).map(k -> k.endsWith("copy")).orElse(false);
    }

    private static String output(CopyKind kind, String why) {
        return "{\"kind\":\"" + kind.label() + "\",\"woken\":\"" + why.replace("\"", "'") + "\"}";
    }
}
