package org.rdsreplicator.handlefailure;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AlertNotPublishedException;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ReplicationException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.Kind;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.Side;
import org.rdsreplicator.common.records.StepFailure;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.wait.PromotionLock;
import org.rdsreplicator.common.wait.WaitRegistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The failure path of both state machines: removes what the failed replication left behind, then
 * tells the operator. A policy over {@link ManagedResources}: of the managed resources tagged with the
 * failed replication's id, those of the side that failed ({@link #sideOf}) and of the kinds a run
 * creates there may go:
 * <ul>
 * <li>source: the {@code source-snapshot} and the {@code shareable-copy} (DB snapshots, or an Aurora cluster's
 * DB cluster snapshots);</li>
 * <li>destination: the {@code local-copy} and the restored DB instances (only where a secret is
 * configured; never the instance the secret names, a deletion-protected one or one tagged
 * {@code role=current}; if the secret cannot be read, no instance is touched).</li>
 * </ul>
 * The other side's resources of the same replication id ({@code Role=both}) and final snapshots stay.
 * A delete that fails is reported in the alert, not thrown: the alert matters more than the cleanup.
 * Only a failure to publish the alert fails the invocation.
 */
@ApplicationScoped
public class HandleFailureService {
    private static final Logger LOG = Logger.getLogger(HandleFailureService.class);
    /** SNS limit on a subject. */
    static final int MAX_SUBJECT = 100;
    /** The states of source-replication whose failure runs the failure path ({@code $.failedStep}). */
    static final Set<String> SOURCE_STEPS = Set.of("Check source", "Create snapshot", "Copy snapshot", "Share snapshot",
            "Notify destination", "Dry run: check source", "Dry run: tell the destinations",
            "Copy snapshot: wait for headroom",
            // an Aurora cluster's run (tools/gen_asl.py, source(): the cluster chain)
            "Check source cluster", "Create cluster snapshot", "Copy cluster snapshot", "Share cluster snapshot",
            "Notify destination of cluster", "Dry run: check source cluster", "Copy cluster snapshot: wait for headroom");
    /** The states of destination-restore whose failure runs the failure path ({@code $.failedStep}). */
    static final Set<String> DESTINATION_STEPS = Set.of("Check destination", "Copy shared snapshot", "Restore instance",
            "Set master password", "Verify copy", "Switch endpoint", "Prune instances", "Check rollback target",
            "Copy shared snapshot: wait for headroom",
            // an Aurora cluster's run (tools/gen_asl.py, destination(): the cluster chain)
            "Restore cluster", "Create writer instance", "Set cluster master password", "Verify cluster copy",
            "Switch endpoint to cluster", "Check cluster rollback target");
    /** What a run creates on each side, and so what its failure path may delete. */
    private static final Map<Side, Set<Kind>> RUN_CREATES = Map.of(
            Side.SOURCE, EnumSet.of(Kind.SOURCE_SNAPSHOT, Kind.SHAREABLE_COPY),
            Side.DESTINATION, EnumSet.of(Kind.LOCAL_COPY, Kind.RESTORED_INSTANCE, Kind.RESTORED_CLUSTER));

    private final ManagedResources managed;
    private final SnsClient sns;
    private final SecretStore secret;
    private final WaitRegistry waits;
    private final HandleFailureConfig config;
    private final ObjectMapper json;
    private final PromotionLock lock;

    public HandleFailureService(ManagedResources managed, SnsClient sns, SecretStore secret, WaitRegistry waits,
            HandleFailureConfig config, ObjectMapper json, PromotionLock lock) {
        this.managed = managed;
        this.sns = sns;
        this.secret = secret;
        this.waits = waits;
        this.config = config;
        this.json = json;
        this.lock = lock;
    }

    public FailureReport handle(FailureRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String topic = config.alertsTopicArn()
                .orElseThrow(() -> new ConfigurationException("REPLICATOR_ALERTS_TOPIC_ARN is not set"));
        String step = req.failedStep() == null || req.failedStep().isBlank() ? "unknown step" : req.failedStep();
        StepFailure error = req.error() == null ? new StepFailure(null, null) : req.error();
        String mode = req.mode() == null || req.mode().isBlank() ? FailureRequest.CLEANUP : req.mode();
        if (!FailureRequest.CLEANUP.equals(mode)) {
            return alertOnly(req, replicationId, topic, step, error, mode);
        }
        Optional<Side> side = requestedSide(req.side()).or(() -> sideOf(req.failedStep(), destinationHalf()));
        LOG.warnf("replication %s failed at %s (%s side) with %s (execution %s): cleaning up", replicationId, step,
                side.map(Side::name).orElse("unknown"), error.Error(), req.executionArn());

        List<String> notDeleted = new ArrayList<>();
        Cleanup cleanup = side.map(s -> cleanUp(replicationId, s, notDeleted)).orElseGet(() -> {
            notDeleted.add("resources of replication " + replicationId + ": not cleaned up: step '" + step
                    + "' is not a step of either workflow, so the side that failed is unknown");
            return new Cleanup(DeletionPlan.forSnapshots().build(), Optional.empty());
        });
        DeletionPlan done = cleanup.done();
        Optional<String> runSource = cleanup.runSource();
        List<String> deleted = done.deleted().stream().map(d -> d.resource().arn()).toList();
        done.notDeleted().forEach(d -> notDeleted.add(d.describe()));
        deleted.forEach(arn -> release(arn, replicationId));
        if (side.filter(Side.DESTINATION::equals).isPresent() && destinationHalf()) {
            if (!secret.perDatabase()) {
                releasePromotionLock(replicationId);
            } else {
                // The lock is per database secret: the run's, found from what it restored (no instance: no lock).
                runSource.ifPresent(source -> SecretScope.forSource(source, () -> {
                    releasePromotionLock(replicationId);
                    return null;
                }));
            }
        }

        FailureAlert alert = new FailureAlert("failure", replicationId, step, error.Error(), error.Cause(), req.executionArn(),
                deleted, List.copyOf(notDeleted));
        String messageId = publish(topic, subject(replicationId, step), alert);
        LOG.infof("alert %s published for replication %s; deleted %s; left %s", messageId, replicationId, deleted,
                notDeleted);
        return new FailureReport(replicationId, step, deleted, messageId);
    }

    /**
     * An alert without cleanup: {@code alert} (a failure whose cleanup could not run, or a best-effort step that
     * failed) or {@code notice} (informational). Nothing is listed or deleted, so it finishes quickly whatever the
     * account holds.
     */
    private FailureReport alertOnly(FailureRequest req, String replicationId, String topic, String step,
            StepFailure error, String mode) {
        if (!FailureRequest.ALERT.equals(mode) && !FailureRequest.NOTICE.equals(mode)) {
            throw new InvalidInputException("mode must be cleanup, alert or notice");
        }
        boolean notice = FailureRequest.NOTICE.equals(mode);
        LOG.infof("replication %s: %s at %s (%s), nothing cleaned up", replicationId, notice ? "notice" : "failure",
                step, error.Error());
        FailureAlert alert = new FailureAlert(mode, replicationId, step, error.Error(), error.Cause(),
                req.executionArn(), List.of(), List.of(notice ? "nothing: this is a notice"
                        : "nothing: this alert was sent without cleanup (the cleanup failed or the step is best effort)"));
        String messageId = publish(topic, notice ? noticeSubject(replicationId, step, error.Error())
                : subject(replicationId, step), alert);
        return new FailureReport(replicationId, step, List.of(), messageId);
    }

    private static Optional<Side> requestedSide(String side) {
        if (side == null || side.isBlank()) {
            return Optional.empty();
        }
        return switch (side) {
            case "source" -> Optional.of(Side.SOURCE);
            case "destination" -> Optional.of(Side.DESTINATION);
            default -> throw new InvalidInputException("side must be source or destination");
        };
    }

    private void releasePromotionLock(String replicationId) {
        try {
            lock.release(replicationId);
        } catch (SdkException e) {
            // It expires by itself (PromotionLock.HOLD); until then the next run's switch is retried.
            LOG.warnf("cannot release the promotion lock of %s (%s)", replicationId, describe(e));
        }
    }

    /**
     * The side whose workflow has the state {@code failedStep}; for another name, the source side when this
     * stack has no destination half (no secret configured), else unknown.
     */
    static Optional<Side> sideOf(String failedStep, boolean secretConfigured) {
        if (failedStep == null) {
            return secretConfigured ? Optional.empty() : Optional.of(Side.SOURCE);
        }
        if (SOURCE_STEPS.contains(failedStep)) {
            return Optional.of(Side.SOURCE);
        }
        if (DESTINATION_STEPS.contains(failedStep)) {
            return Optional.of(Side.DESTINATION);
        }
        return secretConfigured ? Optional.empty() : Optional.of(Side.SOURCE);
    }

    /** True when this stack has a destination half: its one secret, or secrets per source database. */
    private boolean destinationHalf() {
        return config.secretArn().isPresent() || secret.perDatabase();
    }

    /** What cleanUp did, and the source database of the destination run (per-database secrets; empty otherwise). */
    private record Cleanup(DeletionPlan done, Optional<String> runSource) {
    }

    /** Plans and carries out the deletion of what the failed run made on {@code side}. */
    private Cleanup cleanUp(String replicationId, Side side, List<String> notDeleted) {
        Set<Kind> deletable = RUN_CREATES.get(side);
        List<ManagedResource> candidates = new ArrayList<>();
        DeletionPlan.Builder plan = DeletionPlan.forSnapshots();
        Optional<String> runSource = Optional.empty();
        if (side == Side.DESTINATION && secret.perDatabase()) {
            // Per-database secrets: the secret to protect is that of the database the run restored (an instance, or
            // an Aurora cluster: its secret's scope is cluster/<source cluster>).
            List<ManagedResource> instances = new ArrayList<>();
            list("DB instances", managed::instances, instances, notDeleted);
            List<ManagedResource> clusters = new ArrayList<>();
            list("DB clusters", managed::clusters, clusters, notDeleted);
            runSource = clusters.stream().filter(r -> r.belongsTo(replicationId))
                    .map(r -> r.tag(Tags.SOURCE_CLUSTER)).flatMap(Optional::stream)
                    .map(c -> SecretScope.CLUSTER_PREFIX + c).findFirst()
                    .or(() -> instances.stream().filter(r -> r.belongsTo(replicationId) && r.tag(Tags.SOURCE_CLUSTER)
                            .isEmpty()).map(r -> r.tag(Tags.SOURCE_INSTANCE)).flatMap(Optional::stream).findFirst());
            Optional<DeletionPlan.Builder> withInstances = runSource.isEmpty()
                    ? Optional.of(DeletionPlan.protecting(null)) // the run restored nothing: nothing to protect
                    : SecretScope.forSource(runSource.get(), () -> instancePlan(notDeleted));
            if (withInstances.isPresent()) {
                plan = withInstances.get();
                candidates.addAll(instances);
                candidates.addAll(clusters);
            }
        } else if (side == Side.DESTINATION) {
            Optional<DeletionPlan.Builder> withInstances = instancePlan(notDeleted);
            if (withInstances.isPresent()) {
                plan = withInstances.get();
                list("DB instances", managed::instances, candidates, notDeleted);
                // An Aurora cluster of the run goes after its writer (carryOut deletes instances first); a cluster
                // the secret names is never deleted (the plan protects the secret's instance and cluster).
                list("DB clusters", managed::clusters, candidates, notDeleted);
            }
        }
        list("manual snapshots", managed::snapshots, candidates, notDeleted);
        if (side == Side.SOURCE) {
            // An Aurora cluster's run makes cluster snapshots of the same kinds.
            list("manual cluster snapshots", managed::clusterSnapshots, candidates, notDeleted);
        }
        // The writer of a cluster that stays (the secret names it, or it is current) stays with it.
        DeletionPlan.Builder decided = plan;
        boolean runClusterStays = candidates.stream()
                .anyMatch(r -> r.isCluster() && r.belongsTo(replicationId) && decided.refuses(r));
        for (ManagedResource r : candidates) {
            if (!r.belongsTo(replicationId)) {
                continue; // another replication's: not even looked at again
            }
            if (runClusterStays && r.isInstance() && r.tag(Tags.SOURCE_CLUSTER).isPresent()) {
                plan.keep(r, "the writer of this run's cluster, which is not deleted");
            } else if (deletable.contains(r.kind())) {
                plan.delete(r, "made by failed replication " + replicationId + " (" + r.kind() + ")");
            } else {
                plan.keep(r, r.kind() + " is not made by the " + side + " run that failed");
            }
        }
        return new Cleanup(managed.carryOut(plan.build(), ManagedResources.OnFailure.REPORT), runSource);
    }

    /** A plan protecting the secret's instance; empty (no instance touched) when there is no secret to read. */
    private Optional<DeletionPlan.Builder> instancePlan(List<String> notDeleted) {
        if (!destinationHalf()) {
            notDeleted.add("DB instances: not cleaned up: no database secret is configured");
            return Optional.empty();
        }
        try {
            DatabaseSecret current = secret.read();
            return Optional.of(DeletionPlan.protecting(current.dbInstanceIdentifier(), current.dbClusterIdentifier()));
        } catch (RuntimeException e) {
            // Without the secret the current instance cannot be told apart: touch no instance at all.
            // The exception's class only: never anything that could quote the secret.
            notDeleted.add("DB instances: not cleaned up: the secret cannot be read (" + e.getClass().getSimpleName()
                    + ")");
            return Optional.empty();
        }
    }

    private static void list(String what, Supplier<List<ManagedResource>> lister, List<ManagedResource> into,
            List<String> notDeleted) {
        try {
            into.addAll(lister.get());
        } catch (SdkException | ReplicationException e) {
            LOG.warnf("cannot list %s: %s", what, e.getMessage());
            notDeleted.add(what + ": cannot list them (" + e.getMessage() + ")");
        }
    }

    private void release(String arn, String replicationId) {
        try {
            waits.release(arn, replicationId);
        } catch (SdkException e) {
            // The wait expires by TTL; an event for the deleted resource finds a spent token, which is harmless.
            LOG.warnf("cannot release the wait on %s (%s)", arn, describe(e));
        }
    }

    private String publish(String topic, String subject, FailureAlert alert) {
        String body;
        try {
            body = json.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the alert", e);
        }
        Consumer<software.amazon.awssdk.services.sns.model.PublishRequest.Builder> request = r -> r.topicArn(topic)
                .subject(subject).message(body);
        try {
            return sns.publish(request).messageId();
        } catch (SdkException e) {
            AwsFailures.throwIfTransient(e, "cannot publish the alert to " + topic);
            throw new AlertNotPublishedException("cannot publish the alert to " + topic + ": " + describe(e), e);
        }
    }

    /** {@code RDS replication <id>: <what> at <step>}, under the same limits as {@link #subject}. */
    static String noticeSubject(String replicationId, String step, String what) {
        return fit("RDS replication " + replicationId + ": " + (what == null ? "notice" : what) + " at " + step);
    }

    /**
     * {@code RDS replication <id> failed at <step>}, cut to SNS's 100 characters and kept to printable
     * ASCII without line breaks (what SNS accepts in a subject).
     */
    static String subject(String replicationId, String step) {
        return fit("RDS replication " + replicationId + " failed at " + step);
    }

    private static String fit(String text) {
        String s = text.replaceAll("[^\\x20-\\x7E]", "?");
        return s.length() <= MAX_SUBJECT ? s : s.substring(0, MAX_SUBJECT - 3) + "...";
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
