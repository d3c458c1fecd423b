package org.rdsreplicator.common.secret;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.config.SecretConfig;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SecretUnreadableException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Reads and rewrites the database secret, the single source of truth for "the current instance": the stack's
 * one secret, or with per-database secrets the secret of the source database in {@link SecretScope}. Writes are
 * new versions (Secrets Manager moves AWSCURRENT and keeps the old one as
 * AWSPREVIOUS), with a client request token derived from the caller's id so a retried write does
 * not create a second version.
 */
@ApplicationScoped
public class SecretStore {
    /** Characters of a generated password: letters, digits and punctuation every RDS engine accepts. */
    static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    static final int PASSWORD_LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(SecretStore.class);

    private final SecretsManagerClient secrets;
    private final SecretConfig config;
    private final ObjectMapper json;

    public SecretStore(SecretsManagerClient secrets, SecretConfig config, ObjectMapper json) {
        this.secrets = secrets;
        this.config = config;
        this.json = json;
    }

    /** The id (ARN, or a per-database secret's name) of the secret this step works on. */
    public String secretArn() {
        return SecretScope.secretId(config);
    }

    /** True when every source database has its own secret ({@link SecretScope}). */
    public boolean perDatabase() {
        return SecretScope.perDatabase(config);
    }

    /** True when the secret this step works on exists (a per-database secret before its database's first restore does not). */
    public boolean exists() {
        try {
            secrets.describeSecret(r -> r.secretId(secretArn()));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /**
     * Per-database secrets: creates the secret of the source database in scope when it does not exist yet (the
     * first restore of that database), in the RDS layout, naming no instance, with a generated password that
     * reset-password will set on the restored instance. Encrypted with {@code kmsKeyId}, tagged as this system's.
     * Does nothing with the stack's one secret, or when the secret exists.
     *
     * @return true when it created the secret
     */
    public boolean createIfMissing(String username, String engine, String kmsKeyId) {
        if (!perDatabase()) {
            return false;
        }
        String name = secretArn();
        if (exists()) {
            return false;
        }
        LOG.infof("no secret %s yet: creating it (first restore of this database)", name);
        ObjectNode value = json.createObjectNode();
        value.put(DatabaseSecret.ENGINE, engine).put(DatabaseSecret.USERNAME, username)
                .put(DatabaseSecret.PASSWORD, generatePassword()).put(DatabaseSecret.HOST, "")
                .putNull(DatabaseSecret.PORT).put(DatabaseSecret.INSTANCE, "");
        String token = UUID.nameUUIDFromBytes(("create|" + name).getBytes(StandardCharsets.UTF_8)).toString();
        try {
            String body = json.writeValueAsString(value);
            secrets.createSecret(r -> {
                r.name(name).secretString(body).clientRequestToken(token)
                        .description("Connection details of the current restored copy of " + name
                                .substring(SecretScope.NAME_PREFIX.length()) + " (rds-replicator)")
                        .tags(Tag.builder().key("rds-replicator:managed-by").value("rds-replicator").build());
                if (kmsKeyId != null && !kmsKeyId.isBlank()) {
                    r.kmsKeyId(kmsKeyId);
                }
            });
            return true;
        } catch (ResourceExistsException e) {
            LOG.infof("secret %s was created meanwhile: using it", name);
            return false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the secret");
        }
    }

    static String generatePassword() {
        StringBuilder b = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            b.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return b.toString();
    }

    /** The current version of the secret. */
    public DatabaseSecret read() {
        var resp = secrets.getSecretValue(r -> r.secretId(secretArn()));
        try {
            JsonNode node = json.readTree(resp.secretString());
            if (!(node instanceof ObjectNode obj)) {
                throw new SecretUnreadableException("secret " + secretArn() + " is not a JSON object");
            }
            return new DatabaseSecret(obj, resp.versionId());
        } catch (JsonProcessingException e) {
            // Do not chain the parser's exception: its message can quote the secret's text.
            throw new SecretUnreadableException("secret " + secretArn() + " is not valid JSON");
        }
    }

    /**
     * {@link #read()} for a step that must not start without the secret (restore-instance, preflight-destination):
     * a Secrets Manager error that is not transient (access, KMS, deleted secret) is a
     * {@link SecretUnreadableException} too; a transient one is a {@code TransientAwsException}.
     */
    public DatabaseSecret readOrRefuse() {
        try {
            return read();
        } catch (InvalidInputException e) {
            throw new SecretUnreadableException(e.getMessage());
        } catch (SecretsManagerException e) {
            AwsFailures.throwIfTransient(e, "cannot read the database secret");
            throw new SecretUnreadableException("cannot read the database secret " + secretArn() + ": "
                    + (e.awsErrorDetails() == null ? e.getMessage()
                            : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()), e);
        }
    }

    /**
     * Writes {@code value} as the new current version.
     *
     * @param idempotencyKey same key, same version: a retry does not stack versions
     * @return the new version id
     */
    public String write(ObjectNode value, String idempotencyKey) {
        String token = UUID.nameUUIDFromBytes((secretArn() + "|" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
                .toString();
        try {
            String body = json.writeValueAsString(value);
            return secrets.putSecretValue(r -> r.secretId(secretArn()).secretString(body).clientRequestToken(token))
                    .versionId();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the secret");
        }
    }
}
