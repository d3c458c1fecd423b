package org.rdsreplicator.common.records;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An EventBridge event of source {@code aws.rds}, as delivered to a Lambda target. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record RdsEvent(String version, String id, @JsonProperty("detail-type") String detailType, String source,
        String account, String time, String region, List<String> resources, Detail detail) {

    public static final String SOURCE = "aws.rds";

    /** The {@code detail} object of an RDS event. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(@JsonProperty("EventCategories") List<String> eventCategories,
            @JsonProperty("SourceType") String sourceType, @JsonProperty("SourceArn") String sourceArn,
            @JsonProperty("SourceIdentifier") String sourceIdentifier, @JsonProperty("Date") String date,
            @JsonProperty("Message") String message, @JsonProperty("EventID") String eventId) {
    }

    /** The ARN of the resource the event is about: {@code detail.SourceArn}, else the first of {@code resources}. */
    public String resourceArn() {
        if (detail != null && detail.sourceArn() != null && !detail.sourceArn().isBlank()) {
            return detail.sourceArn();
        }
        return resources == null || resources.isEmpty() ? null : resources.get(0);
    }

    public String eventId() {
        return detail == null ? null : detail.eventId();
    }
}
