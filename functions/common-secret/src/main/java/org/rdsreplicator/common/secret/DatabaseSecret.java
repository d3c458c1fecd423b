package org.rdsreplicator.common.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The database secret in the layout RDS itself uses (engine, host, port, username, password, dbname,
 * dbInstanceIdentifier). Every other field is kept as it is when the secret is rewritten.
 * {@link #toString()} never shows the value.
 *
 * @param fields    the whole JSON document
 * @param versionId the Secrets Manager version it was read from
 */
public record DatabaseSecret(ObjectNode fields, String versionId) {
    public static final String ENGINE = "engine";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String INSTANCE = "dbInstanceIdentifier";
    /** The Aurora cluster the secret names (RDS's own layout for cluster secrets); host is then its writer endpoint. */
    public static final String CLUSTER = "dbClusterIdentifier";

    public String dbInstanceIdentifier() {
        return text(INSTANCE);
    }

    /** The Aurora cluster the secret names, or null when it names none (an instance, or nothing yet). */
    public String dbClusterIdentifier() {
        return text(CLUSTER);
    }

    public String host() {
        return text(HOST);
    }

    public String username() {
        return text(USERNAME);
    }

    /** The password; pass it to RDS only, never to a log or a result. */
    public String password() {
        return text(PASSWORD);
    }

    /**
     * What keeps this secret from the RDS layout the steps rely on, empty when nothing does: {@code username} and
     * {@code password} must be non-empty strings (reset-password sets the password, switch-endpoint requires the
     * user); {@code host}, {@code dbInstanceIdentifier} (absent before the first switch) and {@code port} must have
     * the right type when present.
     */
    public java.util.List<String> layoutProblems() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (String required : new String[] { USERNAME, PASSWORD }) {
            JsonNode n = fields.get(required);
            if (n == null || !n.isTextual() || n.asText().isBlank()) {
                problems.add(required + " is missing or not a non-empty string");
            }
        }
        for (String optional : new String[] { HOST, INSTANCE }) {
            JsonNode n = fields.get(optional);
            if (n != null && !n.isNull() && !n.isTextual()) {
                problems.add(optional + " is not a string");
            }
        }
        JsonNode port = fields.get(PORT);
        if (port != null && !port.isNull() && !port.canConvertToInt() && !port.asText().matches("\\d{1,5}")) {
            problems.add(PORT + " is not a number");
        }
        return problems;
    }

    /** A copy pointing at another instance: host, port and dbInstanceIdentifier replaced, the rest kept. */
    public ObjectNode pointingAt(String instanceId, String host, int port) {
        ObjectNode copy = fields.deepCopy();
        copy.put(INSTANCE, instanceId);
        copy.put(HOST, host);
        copy.put(PORT, port);
        return copy;
    }

    /**
     * A copy pointing at an Aurora cluster: host (its writer endpoint), port, engine and dbClusterIdentifier set,
     * dbInstanceIdentifier removed (a cluster secret names the cluster), the rest kept.
     */
    public ObjectNode pointingAtCluster(String clusterId, String writerEndpoint, int port, String engine) {
        ObjectNode copy = fields.deepCopy();
        copy.remove(INSTANCE);
        copy.put(CLUSTER, clusterId);
        copy.put(HOST, writerEndpoint);
        copy.put(PORT, port);
        if (engine != null) {
            copy.put(ENGINE, engine);
        }
        return copy;
    }

    /** The field's text, or null when it is absent, null or blank (a new secret has no instance yet). */
    private String text(String field) {
        JsonNode n = fields.get(field);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }

    @Override
    public String toString() {
        return "DatabaseSecret[dbInstanceIdentifier=" + dbInstanceIdentifier() + ", versionId=" + versionId
                + ", value=****]";
    }
}
