package org.rdsreplicator.selectfleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.logging.Untrusted;
import org.rdsreplicator.common.naming.Identifiers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Chooses the databases of a fleet run and how many child executions run at once.
 * <p>
 * Selection, first that applies: the list given on demand ({@code {"databases": [...]}}); the stack's
 * {@code FleetDatabases}; the DB instances (not Aurora members: an instance in a cluster belongs to its cluster) and
 * Aurora DB clusters tagged {@code FleetTagKey}={@code FleetTagValue}. Sorted, each database once.
 * <p>
 * Concurrency: more children than copy slots, so that snapshots are taken while other databases copy and a freed
 * slot finds a snapshot ready (the copies themselves are gated by copy-headroom): 1.5 times the instance copy quota
 * (at most {@value #INSTANCE_MAP_CAP}) and twice the cluster copy quota (at most {@value #CLUSTER_MAP_CAP}), within
 * the 40 concurrent iterations of an inline Map.
 * <p>
 * A database whose source replication is already running (an earlier fleet run, or on demand; dry runs aside) is
 * returned with that execution: the fleet does not start a second one and reports it superseded.
 */
@ApplicationScoped
public class SelectFleetService {
    static final int INSTANCE_MAP_CAP = 30;
    static final int CLUSTER_MAP_CAP = 10;
    static final String CLUSTER_PREFIX = "cluster:";
    static final String INSTANCE = "instance";
    static final String CLUSTER = "cluster";
    private static final int MAX_EXECUTION_NAME = 80;
    private static final Logger LOG = Logger.getLogger(SelectFleetService.class);

    private final RdsClient rds;
    private final SfnClient sfn;
    private final SelectFleetConfig config;
    private final ObjectMapper json;

    public SelectFleetService(RdsClient rds, SfnClient sfn, SelectFleetConfig config, ObjectMapper json) {
        this.rds = rds;
        this.sfn = sfn;
        this.config = config;
        this.json = json;
    }

    public SelectFleetResult select(SelectFleetRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and input is required");
        }
        String fleet = requireFleetName(req.replicationId());
        TreeSet<String> instances = new TreeSet<>();
        TreeSet<String> clusters = new TreeSet<>();
        Map<String, Integer> sizes = new HashMap<>();
        String selectedBy;
        if (fromInput(req.input(), instances, clusters)) {
            selectedBy = "input";
        } else if (config.databases().filter(d -> !d.isBlank()).isPresent()) {
            fromList(config.databases().get(), instances, clusters);
            selectedBy = "list";
        } else {
            fromTags(instances, clusters, sizes);
            selectedBy = "tags";
        }
        if (!"tags".equals(selectedBy) && !(instances.isEmpty() && clusters.isEmpty())) {
            listAll(sizes);
        }
        Map<String, String> running = instances.isEmpty() && clusters.isEmpty() ? Map.of() : runningReplications();
        List<FleetItem> instanceItems = items(fleet, INSTANCE, largestFirst(instances, INSTANCE, sizes), running);
        List<FleetItem> clusterItems = items(fleet, CLUSTER, largestFirst(clusters, CLUSTER, sizes), running);
        int instanceConcurrency = concurrency(config.instanceCopyQuota(), 3, 2, INSTANCE_MAP_CAP);
        int clusterConcurrency = concurrency(config.clusterCopyQuota(), 2, 1, CLUSTER_MAP_CAP);
        LOG.infof("fleet %s (selected by %s): %d instances %s, %d clusters %s; at once: %d instances, %d clusters",
                fleet, selectedBy, instances.size(), instances, clusters.size(), clusters, instanceConcurrency,
                clusterConcurrency);
        return new SelectFleetResult(selectedBy, instanceItems, clusterItems, instanceConcurrency, clusterConcurrency);
    }

    /** ceil(quota * num / den), at least 1, at most cap. */
    static int concurrency(int quota, int num, int den, int cap) {
        if (quota < 1) {
            throw new ConfigurationException("a copy quota must be at least 1, not " + quota);
        }
        return Math.max(1, Math.min(cap, (quota * num + den - 1) / den));
    }

    private static String requireFleetName(String name) {
        try {
            return Identifiers.requireReplicationId(name);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("the fleet execution's name must be 1-80 letters, digits, '-' or '_' "
                    + "(it names the child executions): " + e.getMessage(), e);
        }
    }

    // ---- the three selections ------------------------------------------------------------------

    /** The list given on demand; false when the input is {@code {}} (the stack's selection applies). */
    private static boolean fromInput(JsonNode input, TreeSet<String> instances, TreeSet<String> clusters) {
        if (input == null || input.isNull() || (input.isObject() && input.isEmpty())) {
            return false;
        }
        if (!input.isObject()) {
            throw new InvalidInputException("the fleet input must be a JSON object, not " + input.getNodeType());
        }
        for (Iterator<String> names = input.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!"databases".equals(name)) {
                throw new InvalidInputException("unknown field '" + Untrusted.excerpt(name) + "' in the fleet input: "
                        + "only \"databases\" may be given");
            }
        }
        JsonNode list = input.get("databases");
        if (!list.isArray()) {
            throw new InvalidInputException("\"databases\" must be a list of {\"dbInstanceIdentifier\": ...} or "
                    + "{\"dbClusterIdentifier\": ...}");
        }
        int i = 0;
        for (JsonNode item : list) {
            String where = "databases[" + i++ + "]";
            if (!item.isObject() || item.size() != 1) {
                throw new InvalidInputException(where + " must have exactly one field, dbInstanceIdentifier or "
                        + "dbClusterIdentifier");
            }
            String field = item.fieldNames().next();
            JsonNode id = item.get(field);
            if (!id.isTextual()) {
                throw new InvalidInputException(where + "." + Untrusted.excerpt(field) + " must be a string");
            }
            switch (field) {
                case "dbInstanceIdentifier" -> instances.add(Identifiers.requireValid(where + ".dbInstanceIdentifier",
                        id.asText()));
                case "dbClusterIdentifier" -> clusters.add(Identifiers.requireValid(where + ".dbClusterIdentifier",
                        id.asText()));
                default -> throw new InvalidInputException(where + " has the unknown field '"
                        + Untrusted.excerpt(field) + "': dbInstanceIdentifier or dbClusterIdentifier");
            }
        }
        return true;
    }

    /** The stack's FleetDatabases: {@code a,b,cluster:c}. */
    static void fromList(String list, TreeSet<String> instances, TreeSet<String> clusters) {
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            boolean cluster = entry.toLowerCase(Locale.ROOT).startsWith(CLUSTER_PREFIX);
            String id = cluster ? entry.substring(CLUSTER_PREFIX.length()).trim() : entry;
            if (!Identifiers.isValid(id)) {
                throw new ConfigurationException("FleetDatabases (REPLICATOR_FLEET_DATABASES) names '"
                        + Untrusted.excerpt(entry) + "', which is not a DB identifier");
            }
            (cluster ? clusters : instances).add(id);
        }
    }

    /** DB instances outside clusters and Aurora clusters carrying the fleet tag, every page, with their sizes. */
    private void fromTags(TreeSet<String> instances, TreeSet<String> clusters, Map<String, Integer> sizes) {
        rds.describeDBInstancesPaginator(r -> { }).dbInstances().forEach(db -> {
            sizes.put(INSTANCE + ":" + db.dbInstanceIdentifier(), db.allocatedStorage());
            if (db.dbClusterIdentifier() == null && tagged(db.hasTagList() ? db.tagList() : tags(db.dbInstanceArn()))) {
                instances.add(db.dbInstanceIdentifier());
            }
        });
        rds.describeDBClustersPaginator(r -> { }).dbClusters().forEach(c -> {
            sizes.put(CLUSTER + ":" + c.dbClusterIdentifier(), c.allocatedStorage());
            boolean aurora = c.engine() != null && c.engine().startsWith("aurora");
            if (aurora && tagged(c.hasTagList() ? c.tagList() : tags(c.dbClusterArn()))) {
                clusters.add(c.dbClusterIdentifier());
            }
        });
    }

    /** The sizes of every DB instance and cluster (a fleet given by list or on demand), every page. */
    private void listAll(Map<String, Integer> sizes) {
        rds.describeDBInstancesPaginator(r -> { }).dbInstances()
                .forEach(db -> sizes.put(INSTANCE + ":" + db.dbInstanceIdentifier(), db.allocatedStorage()));
        rds.describeDBClustersPaginator(r -> { }).dbClusters()
                .forEach(c -> sizes.put(CLUSTER + ":" + c.dbClusterIdentifier(), c.allocatedStorage()));
    }

    /**
     * The largest first (AllocatedStorage, GiB; unknown counts as 0), then by name. A snapshot copy takes time in
     * proportion to its data, and the copy quota is a fixed number of slots: starting the longest copies first
     * (longest-processing-time-first) leaves short ones to fill the last slots, so the fleet's tail is short. Aurora
     * reports a cluster's AllocatedStorage as 1 (its volume grows by itself): clusters keep their name order.
     */
    static List<String> largestFirst(TreeSet<String> ids, String kind, Map<String, Integer> sizes) {
        List<String> out = new ArrayList<>(ids);
        out.sort(Comparator.comparing((String id) -> {
            Integer gib = sizes.get(kind + ":" + id);
            return gib == null ? 0 : gib;
        }).reversed().thenComparing(Comparator.naturalOrder()));
        return out;
    }

    private boolean tagged(List<Tag> tags) {
        return tags.stream().anyMatch(t -> config.tagKey().equals(t.key()) && config.tagValue().equals(t.value()));
    }

    private List<Tag> tags(String arn) {
        return rds.listTagsForResource(r -> r.resourceName(arn)).tagList();
    }

    // ---- children ----------------------------------------------------------------------------------

    private List<FleetItem> items(String fleet, String kind, List<String> ids, Map<String, String> running) {
        List<FleetItem> out = new ArrayList<>();
        for (String id : ids) {
            String name = childName(fleet, kind, id);
            String other = running.get(kind + ":" + id);
            // Our own child (a retried fleet state) is not "another" run: StartExecution finds it again.
            if (other != null && other.endsWith(":" + name)) {
                other = null;
            }
            ChildInput input = INSTANCE.equals(kind) ? new ChildInput(id, null) : new ChildInput(null, id);
            out.add(new FleetItem(id, kind, input, name, other));
        }
        return out;
    }

    /**
     * {@code <database>-<fleet>} ({@code <database>-cluster-<fleet>} for a cluster: the two have separate
     * namespaces); within 80 characters, else the fleet's name becomes its short hash. The same on every retry.
     */
    static String childName(String fleet, String kind, String database) {
        String base = CLUSTER.equals(kind) ? database + "-cluster" : database;
        String name = base + "-" + fleet;
        return name.length() <= MAX_EXECUTION_NAME ? name : base + "-" + Identifiers.shortHash(fleet);
    }

    /** Running source replications (not dry runs), by {@code <kind>:<database>}. */
    private Map<String, String> runningReplications() {
        String machine = config.sourceStateMachineArn().filter(a -> !a.isBlank())
                .orElseThrow(() -> new ConfigurationException("REPLICATOR_FLEET_SOURCE_STATE_MACHINE_ARN is not set"));
        Map<String, String> out = new HashMap<>();
        for (ExecutionListItem e : sfn.listExecutionsPaginator(r -> r.stateMachineArn(machine)
                .statusFilter(ExecutionStatus.RUNNING)).executions()) {
            JsonNode input = parse(sfn.describeExecution(r -> r.executionArn(e.executionArn())).input());
            if (input.path("dryRun").asBoolean(false)) {
                continue;
            }
            if (input.path("dbInstanceIdentifier").isTextual()) {
                out.put(INSTANCE + ":" + input.get("dbInstanceIdentifier").asText(), e.executionArn());
            } else if (input.path("dbClusterIdentifier").isTextual()) {
                out.put(CLUSTER + ":" + input.get("dbClusterIdentifier").asText(), e.executionArn());
            }
        }
        return out;
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
