package org.rdsreplicator.preflightdestination;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.arc.DefaultBean;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * EC2 has no Quarkus extension served to this project, and only this function reads it (the restore's security
 * groups): its plain SDK client, Region from {@code AWS_REGION}, credentials from the default chain, endpoint
 * from {@code AWS_ENDPOINT_URL(_EC2)} when set.
 */
@jakarta.enterprise.context.Dependent
public class Ec2ClientProducer {

    @Produces
    @ApplicationScoped
    @DefaultBean
    public Ec2Client ec2() {
        return Ec2Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }
}
