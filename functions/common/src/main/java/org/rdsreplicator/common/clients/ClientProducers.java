package org.rdsreplicator.common.clients;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Beans the Quarkiverse extensions do not provide. Step Functions has no Quarkus extension served
 * to this project, so its plain SDK client is built here: Region from {@code AWS_REGION}, credentials
 * from the default chain, endpoint from {@code AWS_ENDPOINT_URL(_SFN)} when set (never hard-coded).
 */
@jakarta.enterprise.context.Dependent
public class ClientProducers {

    @Produces
    @ApplicationScoped
    @DefaultBean
    public SfnClient sfn() {
        return SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Produces
    @Singleton
    @DefaultBean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
