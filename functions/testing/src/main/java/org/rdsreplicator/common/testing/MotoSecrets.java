package org.rdsreplicator.common.testing;

import java.net.URI;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** A Secrets Manager client on the moto server a {@link MotoResource} started (for test set-up and assertions). */
public final class MotoSecrets {
    private MotoSecrets() {
    }

    public static SecretsManagerClient client() {
        return SecretsManagerClient.builder().endpointOverride(URI.create(MotoResource.endpoint()))
                .region(Region.of(MotoResource.REGION)).credentialsProvider(MotoResource.creds())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
