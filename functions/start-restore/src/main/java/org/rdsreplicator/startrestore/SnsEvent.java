package org.rdsreplicator.startrestore;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The event SNS delivers to a subscribed Lambda function (the standard {@code Records[].Sns} shape,
 * capitalised names as SNS writes them). Only the fields start-restore reads are mapped; the rest
 * (signature, certificate URLs) is ignored.
 *
 * @param records one record per delivered notification (SNS sends one at a time)
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnsEvent(@JsonProperty("Records") List<SnsRecord> records) {

    /** One delivery. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SnsRecord(@JsonProperty("EventSource") String eventSource,
            @JsonProperty("EventVersion") String eventVersion,
            @JsonProperty("EventSubscriptionArn") String eventSubscriptionArn,
            @JsonProperty("Sns") Sns sns) {
    }

    /**
     * The notification itself.
     *
     * @param type              {@code Notification} for published messages
     * @param topicArn          the topic the message was published to; its account is the publisher's
     * @param message           the published body: here a {@code ReplicationMessage} as JSON text
     * @param messageAttributes attributes set by the publisher (informational: start-restore trusts the body)
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sns(@JsonProperty("Type") String type, @JsonProperty("MessageId") String messageId,
            @JsonProperty("TopicArn") String topicArn, @JsonProperty("Subject") String subject,
            @JsonProperty("Message") String message, @JsonProperty("Timestamp") String timestamp,
            @JsonProperty("MessageAttributes") Map<String, MessageAttribute> messageAttributes) {
    }

    /** An SNS message attribute ({@code Type} is {@code String}, {@code Number} or {@code Binary}). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MessageAttribute(@JsonProperty("Type") String type, @JsonProperty("Value") String value) {
    }
}
