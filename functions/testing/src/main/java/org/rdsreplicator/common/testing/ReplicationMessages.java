package org.rdsreplicator.common.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A valid schema-1 replication message, as JSON to change field by field, for tests of both ends of the topic. */
public final class ReplicationMessages {
    public static final String SOURCE_ACCOUNT = "111111111111";
    public static final String REGION = "us-east-1";
    public static final String SNAPSHOT_ARN = "arn:aws:rds:us-east-1:" + SOURCE_ACCOUNT
            + ":snapshot:orders-db-20261124t093000z-4469ce-share";
    public static final String REPLICATION_ID = "orders-db-20261124T093000Z";

    private ReplicationMessages() {
    }

    public static ObjectNode valid(ObjectMapper json) {
        ObjectNode m = json.createObjectNode();
        m.put("schemaVersion", 1);
        m.put("replicationId", REPLICATION_ID);
        m.put("sourceAccount", SOURCE_ACCOUNT);
        m.put("sourceRegion", REGION);
        m.put("sourceInstance", "orders-db");
        m.put("engine", "postgres");
        m.put("engineVersion", "16.4");
        m.put("snapshotArn", SNAPSHOT_ARN);
        m.put("kmsKeyArn", "arn:aws:kms:us-east-1:" + SOURCE_ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab");
        m.put("createdAt", "2026-11-24T09:30:00Z");
        return m;
    }

    /** The cluster-snapshot ARN of {@link #validCluster}. */
    public static final String CLUSTER_SNAPSHOT_ARN = "arn:aws:rds:us-east-1:" + SOURCE_ACCOUNT
            + ":cluster-snapshot:ledger-20261124t093000z-4469ce-share";

    /** A valid schema-1 message announcing an Aurora cluster's snapshot (sourceCluster, engineMode). */
    public static ObjectNode validCluster(ObjectMapper json) {
        ObjectNode m = valid(json);
        m.remove("sourceInstance");
        m.put("sourceCluster", "ledger");
        m.put("engineMode", "provisioned");
        m.put("engine", "aurora-postgresql");
        m.put("snapshotArn", CLUSTER_SNAPSHOT_ARN);
        return m;
    }
}
