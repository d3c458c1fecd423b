package org.rdsreplicator.contract;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subset of EventBridge pattern matching the template uses: objects match field by field, a list
 * matches when any entry does; entries are exact values or {"prefix": "..."}.
 */
final class EventPatterns {
    private EventPatterns() {
    }

    static boolean matches(JsonNode pattern, JsonNode event) {
        if (pattern.isObject()) {
            var it = pattern.fields();
            while (it.hasNext()) {
                var f = it.next();
                JsonNode value = event == null ? null : event.get(f.getKey());
                if (value == null || !matches(f.getValue(), value)) {
                    return false;
                }
            }
            return true;
        }
        if (pattern.isArray()) {
            for (JsonNode alternative : pattern) {
                if (alternative.isObject() && alternative.has("prefix")) {
                    if (event.isTextual() && event.asText().startsWith(alternative.get("prefix").asText())) {
                        return true;
                    }
                } else if (alternative.equals(event)) {
                    return true;
                }
            }
            return false;
        }
        throw new IllegalArgumentException("unsupported pattern element " + pattern);
    }
}
