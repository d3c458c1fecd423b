package org.rdsreplicator.startrestore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.logging.ReplicationLog;
import org.rdsreplicator.common.logging.Untrusted;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.InvalidMessageException;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.records.ReplicationMessageValidator;
import org.rdsreplicator.startrestore.StartRestoreResult.Outcome;
import org.rdsreplicator.startrestore.StartRestoreResult.Status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDeletingException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Turns a replication message from the source account into one destination-restore execution.
 * <p>
 * Only messages from the configured source topic (the exact ARN, not just its account) are read.
 * A message that fails validation is rejected: an ERROR log line with the reason, an alert on the
 * alerts topic, no execution, and a normal return, because retrying the same bytes cannot make them
 * valid. Whatever the message says is echoed only through {@link Untrusted#excerpt}, and a body larger
 * than {@link ReplicationMessageValidator#MAX_MESSAGE_CHARS} is rejected unread, so an oversized message costs one small alert. A valid message starts the state machine under the replication id as execution name, so a
 * redelivery finds the existing execution (DescribeExecution, or {@code ExecutionAlreadyExists} when
 * two deliveries race) and is counted as a duplicate. Anything else that goes wrong (throttling, a Step Functions or SNS fault, missing
 * configuration) is thrown, so Lambda's asynchronous retries and then the dead-letter queue apply.
 */
@ApplicationScoped
public class StartRestoreService {
    private static final Logger LOG = Logger.getLogger(StartRestoreService.class);
    static final String ALERT_SUBJECT = "rds-replicator: replication message rejected";
    /** Bound on a rejection reason (each untrusted value in it is already cut to {@link Untrusted#MAX_LENGTH}). */
    static final int MAX_REASON_CHARS = 1024;

    private final StartRestoreConfig config;
    private final SfnClient sfn;
    private final SnsClient sns;
    private final ObjectMapper json;
    private final ReplicationMessageValidator messages;
    private final Supplier<String> ownRegion;

    @Inject
    public StartRestoreService(StartRestoreConfig config, SfnClient sfn, SnsClient sns, ObjectMapper json) {
        this(config, sfn, sns, json, StartRestoreService::regionOfThisFunction);
    }

    StartRestoreService(StartRestoreConfig config, SfnClient sfn, SnsClient sns, ObjectMapper json,
            Supplier<String> ownRegion) {
        this.config = config;
        this.sfn = sfn;
        this.sns = sns;
        this.json = json;
        this.messages = new ReplicationMessageValidator(json);
        this.ownRegion = ownRegion;
    }

    /** Settings every record needs; read first so that a misconfigured function fails instead of rejecting. */
    private record Settings(String sourceAccount, String sourceTopicArn, String region, String stateMachineArn,
            String alertsTopicArn) {
    }

    public StartRestoreResult start(SnsEvent event) {
        if (event == null || event.records() == null || event.records().isEmpty()) {
            throw new InvalidInputException("an SNS event with at least one record in Records is required");
        }
        Settings settings = settings();
        List<Outcome> outcomes = new ArrayList<>();
        for (SnsEvent.SnsRecord record : event.records()) {
            outcomes.add(handle(record == null ? null : record.sns(), settings));
        }
        return new StartRestoreResult(outcomes);
    }

    private Settings settings() {
        String account = config.sourceAccountId().filter(s -> !s.isBlank()).orElseThrow(
                () -> new ConfigurationException("REPLICATOR_SOURCE_ACCOUNT_ID is not set"));
        String topic = config.sourceTopicArn().filter(s -> !s.isBlank()).orElseThrow(
                () -> new ConfigurationException("REPLICATOR_SOURCE_TOPIC_ARN is not set"));
        String stateMachine = config.restoreStateMachineArn().filter(s -> !s.isBlank()).orElseThrow(
                () -> new ConfigurationException("REPLICATOR_RESTORE_STATE_MACHINE_ARN is not set"));
        String alerts = config.alertsTopicArn().filter(s -> !s.isBlank()).orElseThrow(
                () -> new ConfigurationException("REPLICATOR_ALERTS_TOPIC_ARN is not set"));
        String region = config.sourceRegion().filter(s -> !s.isBlank()).orElseGet(ownRegion);
        return new Settings(account, topic, region, stateMachine, alerts);
    }

    private Outcome handle(SnsEvent.Sns notification, Settings settings) {
        String messageId = notification == null ? null : Untrusted.excerpt(notification.messageId());
        ReplicationMessage message = null;
        try {
            requireSourceTopic(notification, settings);
            message = parse(notification);
            // The validated message, with defaults written out (a cluster's engineMode), is what the workflow gets.
            message = ReplicationMessageValidator.validate(message, settings.sourceAccount(), settings.region());
        } catch (InvalidMessageException e) {
            return reject(notification, message, e.getMessage(), settings);
        }
        ReplicationMessage valid = message;
        return ReplicationLog.with(valid.replicationId(), () -> startExecution(valid, messageId, settings));
    }

    // ---- validation --------------------------------------------------------------------------

    /** The topic is checked before the body is read: nothing from another topic is parsed. */
    private static void requireSourceTopic(SnsEvent.Sns notification, Settings settings) {
        if (notification == null) {
            throw new InvalidMessageException("the record has no Sns object");
        }
        String topicArn = notification.topicArn();
        String topicAccount = topicAccount(topicArn);
        if (!settings.sourceAccount().equals(topicAccount)) {
            throw new InvalidMessageException("message arrived on topic " + Untrusted.excerpt(topicArn) + " of account "
                    + Untrusted.excerpt(topicAccount) + ", not of the configured source account "
                    + settings.sourceAccount());
        }
        if (!settings.sourceTopicArn().equals(topicArn)) {
            // Another topic of the source account (any stack or user there may own one) is not the replication topic.
            throw new InvalidMessageException("message arrived on topic " + Untrusted.excerpt(topicArn)
                    + ", not on the configured source topic " + settings.sourceTopicArn());
        }
    }

    /** The SNS envelope is a notification; its body is read by the message validator. */
    private ReplicationMessage parse(SnsEvent.Sns notification) {
        if (notification.type() != null && !"Notification".equals(notification.type())) {
            throw new InvalidMessageException("SNS Type is " + Untrusted.excerpt(notification.type())
                    + ", not Notification");
        }
        return messages.parse(notification.message());
    }

    private static String topicAccount(String topicArn) {
        if (topicArn == null || topicArn.isBlank()) {
            throw new InvalidMessageException("the record has no TopicArn");
        }
        try {
            Arn arn = Arn.fromString(topicArn);
            if (!"sns".equals(arn.service()) || arn.accountId().isEmpty()) {
                throw new InvalidMessageException("TopicArn " + Untrusted.excerpt(topicArn) + " is not an SNS topic ARN");
            }
            return arn.accountId().get();
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("TopicArn '" + Untrusted.excerpt(topicArn) + "' is not an ARN");
        }
    }

    // ---- outcomes ------------------------------------------------------------------------------

    private Outcome reject(SnsEvent.Sns notification, ReplicationMessage message, String why, Settings settings) {
        // Everything here may come from the message: bounded before it is logged, alerted or returned.
        String messageId = notification == null ? null : Untrusted.excerpt(notification.messageId());
        String topicArn = notification == null ? null : Untrusted.excerpt(notification.topicArn());
        String replicationId = message == null ? null : Untrusted.excerpt(message.replicationId());
        String reason = Untrusted.excerpt(why, MAX_REASON_CHARS);
        LOG.errorf("rejected replication message %s from %s (replicationId %s): %s", messageId, topicArn,
                replicationId, reason);
        // If the alert cannot be sent the invocation fails: retries, then the DLQ and its alarm, make
        // sure the rejection is still seen by someone.
        String body = toJson(new RejectionAlert(RejectionAlert.KIND, messageId, topicArn, replicationId, reason));
        sns.publish(r -> r.topicArn(settings.alertsTopicArn()).subject(ALERT_SUBJECT).message(body));
        return new Outcome(messageId, replicationId, Status.REJECTED, null, reason);
    }

    private Outcome startExecution(ReplicationMessage m, String messageId, Settings settings) {
        String executionArn = executionArn(settings.stateMachineArn(), m.replicationId());
        // The normalised message (not the raw text) is the input: a redelivery yields the same bytes.
        String input = toJson(m);
        try {
            // StartExecution alone would hand back a still RUNNING execution with the same name and input
            // as if it were new; asking first tells a redelivery from a first delivery.
            if (exists(executionArn)) {
                return duplicate(m, messageId, executionArn);
            }
            StartExecutionResponse resp = sfn.startExecution(r -> r.stateMachineArn(settings.stateMachineArn())
                    .name(m.replicationId()).input(input));
            // A dry run's message starts the same workflow, which runs its preflight and plan only (no wait, no copy).
            LOG.infof("started %s for replication %s of %s (message %s)%s", resp.executionArn(), m.replicationId(),
                    m.sourceInstance(), messageId, m.announcesDryRun() ? ": a dry run, preflight and plan only" : "");
            return new Outcome(messageId, m.replicationId(), Status.STARTED, resp.executionArn(), null);
        } catch (ExecutionAlreadyExistsException e) {
            // Finished, or started with another input: the name is taken for 90 days either way.
            return duplicate(m, messageId, executionArn);
        } catch (StateMachineDoesNotExistException | StateMachineDeletingException | InvalidArnException e) {
            throw new ConfigurationException("cannot start " + settings.stateMachineArn() + ": "
                    + e.awsErrorDetails().errorMessage(), e);
        } catch (SfnException e) {
            throw AwsFailures.translate(e, "cannot start replication " + m.replicationId());
        }
    }

    private boolean exists(String executionArn) {
        try {
            sfn.describeExecution(r -> r.executionArn(executionArn));
            return true;
        } catch (ExecutionDoesNotExistException e) {
            return false;
        }
    }

    private static Outcome duplicate(ReplicationMessage m, String messageId, String executionArn) {
        LOG.infof("replication %s already has execution %s: message %s is a duplicate delivery, nothing started",
                m.replicationId(), executionArn, messageId);
        return new Outcome(messageId, m.replicationId(), Status.DUPLICATE, executionArn, null);
    }

    /** The ARN Step Functions gives the execution {@code name} of {@code stateMachineArn}. */
    static String executionArn(String stateMachineArn, String name) {
        Arn sm = Arn.fromString(stateMachineArn);
        return Arn.builder().partition(sm.partition()).service(sm.service()).region(sm.region().orElse(""))
                .accountId(sm.accountId().orElse("")).resource("execution:" + sm.resource().resource() + ":" + name)
                .build().toString();
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }

    private static String regionOfThisFunction() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new ConfigurationException("cannot tell this function's Region: set AWS_REGION "
                    + "or REPLICATOR_SOURCE_REGION", e);
        }
    }
}
