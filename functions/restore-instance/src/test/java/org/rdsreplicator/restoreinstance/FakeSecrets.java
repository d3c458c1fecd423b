package org.rdsreplicator.restoreinstance;

import java.util.concurrent.atomic.AtomicInteger;

import org.rdsreplicator.common.testing.FakeRds;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** One secret in memory; counts writes so a test can prove restore-instance never writes it. */
class FakeSecrets implements SecretsManagerClient {
    volatile String value;
    volatile RuntimeException failNext;
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
        RuntimeException e = failNext;
        if (e != null) {
            failNext = null;
            throw e;
        }
        if (value == null) {
            throw FakeRds.error(ResourceNotFoundException.builder(), "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret.");
        }
        return GetSecretValueResponse.builder().arn(r.secretId()).secretString(value).versionId("v1").build();
    }

    @Override
    public PutSecretValueResponse putSecretValue(PutSecretValueRequest r) {
        writes.incrementAndGet();
        value = r.secretString();
        return PutSecretValueResponse.builder().versionId("v" + (writes.get() + 1)).build();
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {
    }
}
