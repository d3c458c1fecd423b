package org.rdsreplicator.common.secret;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.rdsreplicator.common.config.SecretConfig;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SecretUnreadableException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Reads and rewrites the configured database secret, the single source of truth for "the current
 * instance". Writes are new versions (Secrets Manager moves AWSCURRENT and keeps the old one as
 * AWSPREVIOUS), with a client request token derived from the caller's id so a retried write does
 * not create a second version.
 */
@ApplicationScoped
public class SecretStore {
    private final SecretsManagerClient secrets;
    private final SecretConfig config;
    private final ObjectMapper json;

    public SecretStore(SecretsManagerClient secrets, SecretConfig config, ObjectMapper json) {
        this.secrets = secrets;
        this.config = config;
        this.json = json;
    }

    public String secretArn() {
        return config.secretArn().orElseThrow(() -> new ConfigurationException("REPLICATOR_SECRET_ARN is not set"));
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
