package org.rdsreplicator.handlefailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.config.ReplicatorConfig;
import org.rdsreplicator.common.errors.AlertNotPublishedException;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.StepFailure;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.wait.WaitRegistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The failure path of both state machines: removes what the failed replication left behind, then
 * tells the operator. Ownership is checked on every resource, one by one:
 * <ul>
 * <li>manual snapshots are deleted only when tagged managed-by and with this replication's id;</li>
 * <li>DB instances (destination side only, where a secret is configured) only when tagged the same
 * way, not the instance the secret names, and not deletion-protected;</li>
 * <li>if the secret cannot be read, no instance is touched (the current one cannot be told apart).</li>
 * </ul>
 * A delete that fails is reported in the alert, not thrown: the alert matters more than the cleanup.
 * Only a failure to publish the alert fails the invocation.
 */
@ApplicationScoped
public class HandleFailureService {
    private static final Logger LOG = Logger.getLogger(HandleFailureService.class);
    /** SNS limit on a subject. */
    static final int MAX_SUBJECT = 100;
    private static final List<String> GONE_SNAPSHOT = List.of("deleting", "deleted");
    private static final List<String> GONE_INSTANCE = List.of("deleting", "deleted");

    private final RdsClient rds;
    private final SnsClient sns;
    private final SecretStore secret;
    private final WaitRegistry waits;
    private final ReplicatorConfig config;
    private final ObjectMapper json;

    public HandleFailureService(RdsClient rds, SnsClient sns, SecretStore secret, WaitRegistry waits,
            ReplicatorConfig config, ObjectMapper json) {
        this.rds = rds;
        this.sns = sns;
        this.secret = secret;
        this.waits = waits;
        this.config = config;
        this.json = json;
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
        LOG.warnf("replication %s failed at %s with %s (execution %s): cleaning up", replicationId, step,
                error.Error(), req.executionArn());

        Cleanup cleanup = new Cleanup(replicationId);
        if (config.secretArn().isPresent()) {
            // Instances first: a snapshot an instance is being restored from may refuse deletion.
            cleanupInstances(cleanup);
        }
        cleanupSnapshots(cleanup);

        FailureAlert alert = new FailureAlert(replicationId, step, error.Error(), error.Cause(), req.executionArn(),
                List.copyOf(cleanup.deleted), List.copyOf(cleanup.notDeleted));
        String messageId = publish(topic, subject(replicationId, step), alert);
        LOG.infof("alert %s published for replication %s; deleted %s; left %s", messageId, replicationId,
                cleanup.deleted, cleanup.notDeleted);
        return new FailureReport(replicationId, step, List.copyOf(cleanup.deleted), messageId);
    }

    /** What was done so far. */
    private static final class Cleanup {
        final String replicationId;
        final List<String> deleted = new ArrayList<>();
        final List<String> notDeleted = new ArrayList<>();

        Cleanup(String replicationId) {
            this.replicationId = replicationId;
        }

        void keep(String arn, String why) {
            LOG.warnf("not deleting %s: %s", arn, why);
            notDeleted.add(arn + ": " + why);
        }
    }

    // ---- snapshots -----------------------------------------------------------------------------

    private void cleanupSnapshots(Cleanup c) {
        List<DBSnapshot> snapshots;
        try {
            snapshots = manualSnapshots();
        } catch (SdkException e) {
            c.keep("manual snapshots", "cannot list them (" + describe(e) + ")");
            return;
        }
        for (DBSnapshot s : snapshots) {
            String arn = s.dbSnapshotArn();
            try {
                if (!ours(tags(arn), c.replicationId)) {
                    continue;
                }
                if (GONE_SNAPSHOT.contains(s.status())) {
                    LOG.infof("snapshot %s is already %s", arn, s.status());
                    continue;
                }
                rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(s.dbSnapshotIdentifier()));
                LOG.infof("deleted snapshot %s of failed replication %s", arn, c.replicationId);
                deleted(c, arn);
            } catch (SdkException e) {
                c.keep(arn, "delete failed (" + describe(e) + ")");
            }
        }
    }

    private List<DBSnapshot> manualSnapshots() {
        List<DBSnapshot> all = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeDbSnapshotsResponse page = rds.describeDBSnapshots(
                    DescribeDbSnapshotsRequest.builder().snapshotType("manual").marker(m).build());
            all.addAll(page.dbSnapshots());
            marker = page.marker();
        } while (marker != null && !marker.isEmpty());
        return all;
    }

    // ---- instances -----------------------------------------------------------------------------

    private void cleanupInstances(Cleanup c) {
        Optional<String> current;
        try {
            current = Optional.ofNullable(secret.read().dbInstanceIdentifier()).filter(s -> !s.isBlank());
        } catch (RuntimeException e) {
            // Without the secret the current instance cannot be told apart: touch no instance at all.
            // The exception's class only: never anything that could quote the secret.
            c.keep("DB instances", "not cleaned up: the secret cannot be read (" + e.getClass().getSimpleName()
                    + ")");
            return;
        }
        List<DBInstance> instances;
        try {
            instances = allInstances();
        } catch (SdkException e) {
            c.keep("DB instances", "cannot list them (" + describe(e) + ")");
            return;
        }
        for (DBInstance i : instances) {
            String arn = i.dbInstanceArn();
            try {
                if (!ours(tags(arn), c.replicationId)) {
                    continue;
                }
                if (current.isPresent() && current.get().equalsIgnoreCase(i.dbInstanceIdentifier())) {
                    c.keep(arn, "it is the instance the secret points to");
                    continue;
                }
                if (Boolean.TRUE.equals(i.deletionProtection())) {
                    c.keep(arn, "deletion protection is on");
                    continue;
                }
                if (GONE_INSTANCE.contains(i.dbInstanceStatus())) {
                    LOG.infof("instance %s is already %s", arn, i.dbInstanceStatus());
                    continue;
                }
                rds.deleteDBInstance(r -> r.dbInstanceIdentifier(i.dbInstanceIdentifier()).skipFinalSnapshot(true)
                        .deleteAutomatedBackups(true));
                LOG.infof("deleting instance %s of failed replication %s", arn, c.replicationId);
                deleted(c, arn);
            } catch (SdkException e) {
                c.keep(arn, "delete failed (" + describe(e) + ")");
            }
        }
    }

    private List<DBInstance> allInstances() {
        List<DBInstance> all = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeDbInstancesResponse page = rds.describeDBInstances(DescribeDbInstancesRequest.builder().marker(m)
                    .build());
            all.addAll(page.dbInstances());
            marker = page.marker();
        } while (marker != null && !marker.isEmpty());
        return all;
    }

    // ---- shared --------------------------------------------------------------------------------

    private List<Tag> tags(String arn) {
        return rds.listTagsForResource(r -> r.resourceName(arn)).tagList();
    }

    private static boolean ours(List<Tag> tags, String replicationId) {
        return Tags.isManaged(tags) && Tags.value(tags, Tags.REPLICATION_ID).filter(replicationId::equals).isPresent();
    }

    private void deleted(Cleanup c, String arn) {
        c.deleted.add(arn);
        try {
            waits.release(arn, c.replicationId);
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

    /**
     * {@code RDS replication <id> failed at <step>}, cut to SNS's 100 characters and kept to printable
     * ASCII without line breaks (what SNS accepts in a subject).
     */
    static String subject(String replicationId, String step) {
        String s = ("RDS replication " + replicationId + " failed at " + step).replaceAll("[^\\x20-\\x7E]", "?");
        return s.length() <= MAX_SUBJECT ? s : s.substring(0, MAX_SUBJECT - 3) + "...";
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
