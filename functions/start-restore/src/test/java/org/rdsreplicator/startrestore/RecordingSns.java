package org.rdsreplicator.startrestore;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/** An SNS client that records what is published; {@link #failNext} makes the next publish throw. */
class RecordingSns implements SnsClient {
    final List<PublishRequest> published = new CopyOnWriteArrayList<>();
    volatile RuntimeException failNext;

    @Override
    public PublishResponse publish(PublishRequest r) {
        RuntimeException e = failNext;
        if (e != null) {
            failNext = null;
            throw e;
        }
        published.add(r);
        return PublishResponse.builder().messageId("alert-" + published.size()).build();
    }

    @Override
    public String serviceName() {
        return "sns";
    }

    @Override
    public void close() {
    }
}
