package org.rdsreplicator.common.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.rdsreplicator.common.secret.SecretStore;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * An in-memory Secrets Manager for unit tests: secrets keyed by ARN (or name), each a list of versions
 * with AWSCURRENT / AWSPREVIOUS moved on every new version. {@code ClientRequestToken} behaves as in
 * AWS: the same token with the same value returns that version without moving any label, with a
 * different value it fails with {@code ResourceExistsException}. {@link #store} builds the project's
 * {@link SecretStore} over it.
 */
public class FakeSecrets implements SecretsManagerClient {
    public static final String ARN = "arn:aws:secretsmanager:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT
            + ":secret:rds-replicator/db-AbCdEf";

    /** One stored version. */
    public record Version(String versionId, String secretString, List<String> stages) {
    }

    private final Map<String, List<Version>> secrets = new LinkedHashMap<>();
    /** When set, thrown by the next PutSecretValue instead of writing. */
    public volatile RuntimeException failNextPut;
    public int puts;
    /** The ClientRequestToken of every PutSecretValue, failed ones included. */
    public final List<String> putTokens = new ArrayList<>();
    public int gets;

    /** Creates (or replaces) secret {@code arn} with one AWSCURRENT version holding {@code json}. */
    public synchronized String create(String arn, String json) {
        List<Version> versions = new ArrayList<>();
        String id = UUID.randomUUID().toString();
        versions.add(new Version(id, json, new ArrayList<>(List.of("AWSCURRENT"))));
        secrets.put(arn, versions);
        return id;
    }

    /** The AWSCURRENT version of {@code arn}. */
    public synchronized Version current(String arn) {
        return versionsOf(arn).stream().filter(v -> v.stages().contains("AWSCURRENT")).findFirst().orElseThrow();
    }

    public synchronized List<Version> versions(String arn) {
        return List.copyOf(versionsOf(arn));
    }

    /** A {@link SecretStore} reading and writing secret {@code arn} of this fake. */
    public SecretStore store(String arn) {
        return new SecretStore(this, () -> Optional.ofNullable(arn), new ObjectMapper());
    }

    private List<Version> versionsOf(String id) {
        List<Version> v = secrets.get(id);
        if (v == null) {
            v = secrets.entrySet().stream().filter(e -> e.getKey().contains(":secret:" + id + "-"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (v == null) {
            throw (ResourceNotFoundException) ResourceNotFoundException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                            .errorMessage("Secrets Manager can't find the specified secret.").build())
                    .message("Secrets Manager can't find the specified secret.").statusCode(400).build();
        }
        return v;
    }

    /** An SDK error as Secrets Manager would return it, for {@link #failNextPut}. */
    public static SecretsManagerException error(String code, String message, int status) {
        return (SecretsManagerException) SecretsManagerException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .serviceName("SecretsManager").build())
                .message(message).statusCode(status).build();
    }

    @Override
    public synchronized GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
        gets++;
        String stage = r.versionStage() == null ? "AWSCURRENT" : r.versionStage();
        Version v = versionsOf(r.secretId()).stream()
                .filter(x -> r.versionId() != null ? x.versionId().equals(r.versionId()) : x.stages().contains(stage))
                .findFirst().orElseThrow();
        return GetSecretValueResponse.builder().arn(r.secretId()).versionId(v.versionId())
                .secretString(v.secretString()).versionStages(v.stages()).build();
    }

    @Override
    public synchronized PutSecretValueResponse putSecretValue(PutSecretValueRequest r) {
        puts++;
        putTokens.add(r.clientRequestToken());
        RuntimeException e = failNextPut;
        if (e != null) {
            failNextPut = null;
            throw e;
        }
        List<Version> versions = versionsOf(r.secretId());
        String token = r.clientRequestToken() == null ? UUID.randomUUID().toString() : r.clientRequestToken();
        for (Version v : versions) {
            if (v.versionId().equals(token)) {
                if (v.secretString().equals(r.secretString())) {
                    return PutSecretValueResponse.builder().arn(r.secretId()).versionId(token)
                            .versionStages(v.stages()).build();
                }
                throw (ResourceExistsException) ResourceExistsException.builder()
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceExistsException")
                                .errorMessage("You can't use ClientRequestToken " + token
                                        + " because that value is already in use for a version of the secret.")
                                .build())
                        .message("token in use").statusCode(400).build();
            }
        }
        for (Version v : versions) {
            v.stages().remove("AWSPREVIOUS");
            if (v.stages().remove("AWSCURRENT")) {
                v.stages().add("AWSPREVIOUS");
            }
        }
        versions.add(new Version(token, r.secretString(), new ArrayList<>(List.of("AWSCURRENT"))));
        return PutSecretValueResponse.builder().arn(r.secretId()).versionId(token).versionStages("AWSCURRENT").build();
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {
    }
}
