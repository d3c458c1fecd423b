package org.rdsreplicator.common.records;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.InvalidMessageException;
import org.rdsreplicator.common.logging.Untrusted;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.arns.Arn;

/**
 * What makes a {@link ReplicationMessage} acceptable, in one place for both ends of the topic:
 * start-restore checks what it receives, notify-destination checks what it is about to publish.
 * <p>
 * Every failure is an {@link InvalidMessageException} whose text quotes message values only through
 * {@link Untrusted#excerpt}, and the checks run in a fixed order (the first failure is the reason):
 * schema version, required fields, source account, snapshot ARN (an RDS snapshot of the source account
 * in the expected Region, matching {@code sourceRegion}), replication id, source instance, KMS key ARN,
 * creation time.
 * <p>
 * Exactly one of {@code sourceInstance} and {@code sourceCluster} names the source. With {@code sourceCluster} (an
 * Aurora cluster) the snapshot ARN must be a {@code cluster-snapshot} ARN and {@code engineMode} one of
 * {@code provisioned} and {@code serverless-v2}; with {@code sourceInstance} a {@code snapshot} ARN and no
 * {@code engineMode}.
 */
public final class ReplicationMessageValidator {
    /** A schema-1 message is well under 2 KiB; anything this large is not one. */
    public static final int MAX_MESSAGE_CHARS = 16 * 1024;

    private final ObjectMapper json;

    /** @param json the application's mapper; a copy that ignores unknown fields is used for reading */
    public ReplicationMessageValidator(ObjectMapper json) {
        // Later minor revisions of schema 1 may add fields: ignore what this version does not know.
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * The body as a message, not yet {@linkplain #validate validated}.
     *
     * @throws InvalidMessageException when the body is empty, larger than {@link #MAX_MESSAGE_CHARS} (then it is
     *                                 not read), or not a JSON message
     */
    public ReplicationMessage parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException("the SNS Message is empty");
        }
        if (body.length() > MAX_MESSAGE_CHARS) {
            throw new InvalidMessageException("the SNS Message is " + body.length() + " characters, more than the "
                    + MAX_MESSAGE_CHARS + " a replication message may have");
        }
        try {
            ReplicationMessage m = json.readValue(body, ReplicationMessage.class);
            if (m == null) {
                throw new InvalidMessageException("the SNS Message is not a JSON object");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("the SNS Message is not a JSON replication message: "
                    + Untrusted.excerpt(e.getOriginalMessage()));
        }
    }

    /**
     * Returns {@code m} when it is a valid message of {@code sourceAccount} about a snapshot in {@code region}.
     *
     * @throws InvalidMessageException naming the first check that failed
     */
    public static ReplicationMessage validate(ReplicationMessage m, String sourceAccount, String region) {
        if (m.schemaVersion() == null) {
            throw new InvalidMessageException("schemaVersion is missing");
        }
        if (m.schemaVersion() != ReplicationMessage.CURRENT_SCHEMA_VERSION) {
            throw new InvalidMessageException("schemaVersion " + m.schemaVersion() + " is not supported (this "
                    + "function reads version " + ReplicationMessage.CURRENT_SCHEMA_VERSION + ")");
        }
        if (m.sourceCluster() != null && m.sourceInstance() != null) {
            throw new InvalidMessageException("sourceInstance and sourceCluster are both set: a message names one "
                    + "source, an instance or an Aurora cluster");
        }
        boolean cluster = m.sourceCluster() != null;
        List<String> missing = missingFields(m);
        if (!missing.isEmpty()) {
            throw new InvalidMessageException("required fields missing: " + String.join(", ", missing));
        }
        if (!sourceAccount.equals(m.sourceAccount())) {
            throw new InvalidMessageException("message names source account " + Untrusted.excerpt(m.sourceAccount())
                    + " but was published by account " + sourceAccount);
        }

        RdsArn snapshot;
        try {
            snapshot = RdsArn.parse(m.snapshotArn());
        } catch (InvalidInputException e) {
            throw new InvalidMessageException("snapshotArn: " + Untrusted.excerpt(e.getMessage()));
        }
        String snapshotArn = Untrusted.excerpt(m.snapshotArn());
        if (cluster && !snapshot.isClusterSnapshot()) {
            throw new InvalidMessageException("snapshotArn " + snapshotArn + " is not a DB cluster snapshot ARN, but "
                    + "the message names a source cluster");
        }
        if (!cluster && !snapshot.isSnapshot()) {
            throw new InvalidMessageException("snapshotArn " + snapshotArn + " is not a DB snapshot ARN");
        }
        if (!sourceAccount.equals(snapshot.accountId())) {
            throw new InvalidMessageException("snapshot " + snapshotArn + " is owned by account "
                    + Untrusted.excerpt(snapshot.accountId()) + ", not by the source account " + sourceAccount);
        }
        if (!region.equals(snapshot.region())) {
            throw new InvalidMessageException("snapshot " + snapshotArn + " is in Region "
                    + Untrusted.excerpt(snapshot.region()) + ", expected " + region);
        }
        if (!snapshot.region().equals(m.sourceRegion())) {
            throw new InvalidMessageException("sourceRegion " + Untrusted.excerpt(m.sourceRegion())
                    + " does not match the snapshot's Region " + snapshot.region());
        }

        try {
            Identifiers.requireReplicationId(m.replicationId());
        } catch (InvalidInputException e) {
            throw new InvalidMessageException(Untrusted.excerpt(e.getMessage()));
        }
        if (cluster) {
            requireClusterFields(m);
        } else if (!Identifiers.isValid(m.sourceInstance())) {
            throw new InvalidMessageException("sourceInstance '" + Untrusted.excerpt(m.sourceInstance())
                    + "' is not a valid DB instance identifier");
        } else if (m.engineMode() != null) {
            throw new InvalidMessageException("engineMode is set but the message names no source cluster");
        }
        requireKmsKeyArn(m.kmsKeyArn());
        try {
            Instant.parse(m.createdAt());
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException("createdAt '" + Untrusted.excerpt(m.createdAt())
                    + "' is not an ISO-8601 instant");
        }
        return m;
    }

    /**
     * Schema 1: every field is required (engine and version too: restore needs a compatible engine), and exactly one
     * of sourceInstance and sourceCluster.
     */
    private static List<String> missingFields(ReplicationMessage m) {
        if (m.sourceInstance() != null && m.sourceCluster() != null) {
            throw new InvalidMessageException("the message names both sourceInstance and sourceCluster: exactly one "
                    + "source is replicated per message");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("replicationId", m.replicationId());
        fields.put("sourceAccount", m.sourceAccount());
        fields.put("sourceRegion", m.sourceRegion());
        if (m.sourceCluster() == null) {
            fields.put("sourceInstance", m.sourceInstance());
        } else {
            fields.put("sourceCluster", m.sourceCluster());
            fields.put("engineMode", m.engineMode());
        }
        fields.put("engine", m.engine());
        fields.put("engineVersion", m.engineVersion());
        fields.put("snapshotArn", m.snapshotArn());
        fields.put("kmsKeyArn", m.kmsKeyArn());
        fields.put("createdAt", m.createdAt());
        return fields.entrySet().stream().filter(e -> e.getValue() == null || e.getValue().isBlank())
                .map(Map.Entry::getKey).toList();
    }

    private static void requireClusterFields(ReplicationMessage m) {
        if (!Identifiers.isValid(m.sourceCluster())) {
            throw new InvalidMessageException("sourceCluster '" + Untrusted.excerpt(m.sourceCluster())
                    + "' is not a valid DB cluster identifier");
        }
        if (!ReplicationMessage.ENGINE_MODE_PROVISIONED.equals(m.engineMode())
                && !ReplicationMessage.ENGINE_MODE_SERVERLESS_V2.equals(m.engineMode())) {
            throw new InvalidMessageException("engineMode '" + Untrusted.excerpt(m.engineMode()) + "' is not "
                    + ReplicationMessage.ENGINE_MODE_PROVISIONED + " or " + ReplicationMessage.ENGINE_MODE_SERVERLESS_V2);
        }
    }

    private static void requireKmsKeyArn(String value) {
        try {
            if (!"kms".equals(Arn.fromString(value).service())) {
                throw new InvalidMessageException("kmsKeyArn " + Untrusted.excerpt(value) + " is not a KMS key ARN");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("kmsKeyArn '" + Untrusted.excerpt(value) + "' is not an ARN");
        }
    }
}
