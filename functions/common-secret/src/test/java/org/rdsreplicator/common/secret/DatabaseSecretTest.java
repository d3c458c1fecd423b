package org.rdsreplicator.common.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class DatabaseSecretTest {
    final ObjectMapper json = new ObjectMapper();

    ObjectNode value() throws Exception {
        return (ObjectNode) json.readTree("""
                {"engine":"postgres","host":"old.example","port":5432,"username":"app","password":"s3cr3t-value",
                 "dbname":"orders","dbInstanceIdentifier":"orders-old","rotation":"custom"}""");
    }

    @Test
    void pointingAt_shouldReplaceOnlyHostPortAndInstance() throws Exception {
        ObjectNode next = new DatabaseSecret(value(), "v1").pointingAt("orders-new", "new.example", 5433);
        assertThat(next.get("host").asText()).isEqualTo("new.example");
        assertThat(next.get("port").asInt()).isEqualTo(5433);
        assertThat(next.get("dbInstanceIdentifier").asText()).isEqualTo("orders-new");
        assertThat(next.get("password").asText()).isEqualTo("s3cr3t-value");
        assertThat(next.get("rotation").asText()).isEqualTo("custom");
        assertThat(next.get("dbname").asText()).isEqualTo("orders");
    }

    @Test
    void toString_shouldNeverShowTheValue() throws Exception {
        assertThat(new DatabaseSecret(value(), "v1").toString()).doesNotContain("s3cr3t-value").contains("orders-old");
    }

    @Test
    void blankInstance_shouldReadAsNone() throws Exception {
        ObjectNode v = value();
        v.put("dbInstanceIdentifier", "");
        assertThat(new DatabaseSecret(v, "v1").dbInstanceIdentifier()).isNull();
    }
}
