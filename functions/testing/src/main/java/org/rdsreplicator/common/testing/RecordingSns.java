package org.rdsreplicator.common.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/** An SNS client that records what is published (message ids msg-1, msg-2...); {@link #failNext} makes the next publish throw. */
public class RecordingSns implements SnsClient {
    public final List<PublishRequest> published = new CopyOnWriteArrayList<>();
    public volatile RuntimeException failNext;

    @Override
    public PublishResponse publish(PublishRequest r) {
        RuntimeException e = failNext;
        if (e != null) {
            failNext = null;
            throw e;
        }
        published.add(r);
        return PublishResponse.builder().messageId("msg-" + published.size()).build();
    }

    @Override
    public String serviceName() {
        return "sns";
    }

    @Override
    public void close() {
    }
}
