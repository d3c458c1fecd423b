package org.rdsreplicator.common.clients;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.arc.DefaultBean;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Step Functions has no Quarkus extension served to this project, so its plain SDK client is built here:
 * Region from {@code AWS_REGION}, credentials from the default chain, endpoint from
 * {@code AWS_ENDPOINT_URL(_SFN)} when set (never hard-coded).
 */
@jakarta.enterprise.context.Dependent
public class SfnClientProducer {

    @Produces
    @ApplicationScoped
    @DefaultBean
    public SfnClient sfn() {
        return SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }
}
