package org.rdsreplicator.common.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.rdsreplicator.common.config.SecretConfig;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.secret.SecretStore;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
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
        return new SecretStore(this, config(arn), new ObjectMapper());
    }

    /** A {@link SecretStore} of per-database secrets ({@code rds-replicator/<sourceAccount>/<database>}) of this fake. */
    public SecretStore perDatabaseStore(String sourceAccount) {
        return new SecretStore(this, perDatabase(sourceAccount), new ObjectMapper());
    }

    /** The configuration of a stack with one secret, {@code arn} (none when null). */
    public static SecretConfig config(String arn) {
        return new SecretConfig() {
            @Override
            public Optional<String> secretArn() {
                return Optional.ofNullable(arn);
            }

            @Override
            public String secretMode() {
                return SecretScope.SINGLE;
            }

            @Override
            public Optional<String> sourceAccountId() {
                return Optional.empty();
            }
        };
    }

    /** The configuration of a stack with a secret per source database of {@code sourceAccount}. */
    public static SecretConfig perDatabase(String sourceAccount) {
        return new SecretConfig() {
            @Override
            public Optional<String> secretArn() {
                return Optional.empty();
            }

            @Override
            public String secretMode() {
                return SecretScope.PER_DATABASE;
            }

            @Override
            public Optional<String> sourceAccountId() {
                return Optional.of(sourceAccount);
            }
        };
    }

    /** True when secret {@code id} (ARN or name) exists. */
    public synchronized boolean exists(String id) {
        return versionsOrNull(id) != null;
    }

    /** The KMS key each secret this fake created was encrypted with (by name). */
    public final Map<String, String> createdWithKey = new LinkedHashMap<>();

    private List<Version> versionsOrNull(String id) {
        List<Version> v = secrets.get(id);
        if (v == null) {
            v = secrets.entrySet().stream().filter(e -> e.getKey().contains(":secret:" + id + "-"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        return v;
    }

    private List<Version> versionsOf(String id) {
        List<Version> v = versionsOrNull(id);
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
    public synchronized DescribeSecretResponse describeSecret(DescribeSecretRequest r) {
        if (!exists(r.secretId())) {
            throw notFound(r.secretId());
        }
        return DescribeSecretResponse.builder().name(r.secretId()).build();
    }

    @Override
    public synchronized CreateSecretResponse createSecret(CreateSecretRequest r) {
        if (exists(r.name())) {
            throw (ResourceExistsException) ResourceExistsException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceExistsException")
                            .errorMessage("The operation failed because the secret " + r.name() + " already exists.")
                            .build())
                    .message("exists").statusCode(400).build();
        }
        String version = create(r.name(), r.secretString());
        createdWithKey.put(r.name(), r.kmsKeyId());
        return CreateSecretResponse.builder().name(r.name()).versionId(version).build();
    }

    private static ResourceNotFoundException notFound(String id) {
        return (ResourceNotFoundException) ResourceNotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                        .errorMessage("Secrets Manager can't find the specified secret.").build())
                .message("Secrets Manager can't find the specified secret " + id).statusCode(400).build();
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
