package org.rdsreplicator.handlefailure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/** An SNS client that records published messages instead of sending them. */
class RecordingSns implements SnsClient {
    final List<PublishRequest> published = new CopyOnWriteArrayList<>();
    /** When set, thrown by the next publish instead of recording it. */
    volatile RuntimeException failNext;

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
