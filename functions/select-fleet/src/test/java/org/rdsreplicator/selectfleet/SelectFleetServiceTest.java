package org.rdsreplicator.selectfleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.RecordingSfn;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

class SelectFleetServiceTest {
    static final String MACHINE = "arn:aws:states:eu-west-1:111111111111:stateMachine:source";
    static final Tag SELECTED = Tag.builder().key("rds-replicator:replicate").value("true").build();
    final ObjectMapper json = new ObjectMapper();

    /** RDS with cluster members beside FakeRds's instances (FakeRds keeps the clusters). */
    static class FleetRds extends FakeRds {
        final List<DBInstance> members = new ArrayList<>();

        @Override
        public DescribeDbInstancesResponse describeDBInstances(DescribeDbInstancesRequest r) {
            DescribeDbInstancesResponse own = super.describeDBInstances(r);
            List<DBInstance> all = new ArrayList<>(own.dbInstances());
            if (r.marker() == null) {
                all.addAll(members);
            }
            return own.toBuilder().dbInstances(all).build();
        }
    }

    /** Step Functions with running source replications. */
    static class RunningSfn extends RecordingSfn {
        final Map<String, String> running = new java.util.LinkedHashMap<>();  // execution ARN -> input

        @Override
        public ListExecutionsResponse listExecutions(ListExecutionsRequest r) {
            assertThat(r.statusFilter()).isEqualTo(ExecutionStatus.RUNNING);
            return ListExecutionsResponse.builder().executions(running.keySet().stream()
                    .map(a -> ExecutionListItem.builder().executionArn(a).build()).toList()).build();
        }

        @Override
        public DescribeExecutionResponse describeExecution(DescribeExecutionRequest r) {
            return DescribeExecutionResponse.builder().executionArn(r.executionArn()).input(running.get(r.executionArn()))
                    .build();
        }
    }

    record Config(String tagKey, String tagValue, Optional<String> databases, Optional<String> sourceStateMachineArn,
            int instanceCopyQuota, int clusterCopyQuota) implements SelectFleetConfig {
    }

    FleetRds rds;
    RunningSfn sfn;
    Config config;

    @BeforeEach
    void setUp() {
        rds = new FleetRds();
        sfn = new RunningSfn();
        config = new Config("rds-replicator:replicate", "true", Optional.empty(), Optional.of(MACHINE), 20, 5);
        rds.addInstance("orders-db", "available").tags.add(SELECTED);
        rds.addInstance("billing-db", "available").tags.add(SELECTED);
        rds.addInstance("scratch-db", "available").tags.add(Tag.builder().key("rds-replicator:replicate").value("false")
                .build());
        rds.members.add(DBInstance.builder().dbInstanceIdentifier("ledger-1").dbClusterIdentifier("ledger")
                .tagList(SELECTED).build());
        rds.clusters.put("ledger", rds.addCluster("ledger", "available").toBuilder().tagList(SELECTED).build());
        rds.clusters.put("multi-az", DBCluster.builder().dbClusterIdentifier("multi-az").engine("postgres")
                .tagList(SELECTED).build());
        rds.clusters.put("untagged", DBCluster.builder().dbClusterIdentifier("untagged").engine("aurora-mysql")
                .tagList(List.of()).build());
    }

    SelectFleetService service() {
        return new SelectFleetService(rds, sfn, config, json);
    }

    SelectFleetResult select(String input) throws Exception {
        return service().select(new SelectFleetRequest("fleet-1", input == null ? null : json.readTree(input)));
    }

    static List<String> ids(List<FleetItem> items) {
        return items.stream().map(FleetItem::database).toList();
    }

    @Test
    void emptyInput_shouldSelectTaggedInstancesAndAuroraClusters_sorted_withoutClusterMembers() throws Exception {
        SelectFleetResult r = select("{}");

        assertThat(r.selectedBy()).isEqualTo("tags");
        assertThat(ids(r.instances())).containsExactly("billing-db", "orders-db");
        assertThat(ids(r.clusters())).containsExactly("ledger");
        FleetItem ledger = r.clusters().get(0);
        assertThat(ledger.input()).isEqualTo(new ChildInput(null, "ledger"));
        assertThat(json.writeValueAsString(ledger.input())).isEqualTo("{\"dbClusterIdentifier\":\"ledger\"}");
        assertThat(ledger.executionName()).isEqualTo("ledger-cluster-fleet-1");
        assertThat(r.instances().get(0).executionName()).isEqualTo("billing-db-fleet-1");
        assertThat(r.instances()).allSatisfy(i -> assertThat(i.runningExecutionArn()).isNull());
    }

    @Test
    void largestDatabasesFirst_thenByName_soTheLongestCopiesTakeTheFirstSlots() throws Exception {
        rds.instances.get("orders-db").allocatedStorage = 50;
        rds.instances.get("billing-db").allocatedStorage = 20;
        var big = rds.addInstance("archive-db", "available");
        big.tags.add(SELECTED);
        big.allocatedStorage = 500;
        var twin = rds.addInstance("audit-db", "available");
        twin.tags.add(SELECTED);
        twin.allocatedStorage = 50;

        assertThat(ids(select("{}").instances())).containsExactly("archive-db", "audit-db", "orders-db", "billing-db");
        // The same order for a fleet given on demand (its sizes are described too).
        assertThat(ids(select("{\"databases\": [{\"dbInstanceIdentifier\": \"billing-db\"}, "
                + "{\"dbInstanceIdentifier\": \"archive-db\"}, {\"dbInstanceIdentifier\": \"orders-db\"}]}")
                .instances())).containsExactly("archive-db", "orders-db", "billing-db");
    }

    @Test
    void fleetDatabasesParameter_shouldReplaceTheTags() throws Exception {
        config = new Config("rds-replicator:replicate", "true", Optional.of(" b-db, a-db ,cluster:ledger,a-db,"),
                Optional.of(MACHINE), 20, 5);

        SelectFleetResult r = select("{}");

        assertThat(r.selectedBy()).isEqualTo("list");
        assertThat(ids(r.instances())).containsExactly("a-db", "b-db");
        assertThat(ids(r.clusters())).containsExactly("ledger");
    }

    @Test
    void badFleetDatabasesParameter_shouldFailAsConfiguration() {
        config = new Config("k", "v", Optional.of("a-db,cluster:bad--name"), Optional.of(MACHINE), 20, 5);

        assertThatThrownBy(() -> select("{}")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("FleetDatabases");
    }

    @Test
    void listOnDemand_shouldWin_eachDatabaseOnce() throws Exception {
        SelectFleetResult r = select("{\"databases\": [{\"dbInstanceIdentifier\": \"z-db\"}, "
                + "{\"dbClusterIdentifier\": \"c1\"}, {\"dbInstanceIdentifier\": \"z-db\"}, {\"dbInstanceIdentifier\": \"a-db\"}]}");

        assertThat(r.selectedBy()).isEqualTo("input");
        assertThat(ids(r.instances())).containsExactly("a-db", "z-db");
        assertThat(ids(r.clusters())).containsExactly("c1");
        // The tagged orders-db and billing-db are not selected: the instances are described for their sizes only.
        assertThat(rds.calls("listTagsForResource")).as("the tags are not read").isZero();
    }

    @Test
    void emptyListOnDemand_shouldSelectNothing() throws Exception {
        SelectFleetResult r = select("{\"databases\": []}");

        assertThat(r.instances()).isEmpty();
        assertThat(r.clusters()).isEmpty();
    }

    @Test
    void anythingElse_shouldBeRefusedNamed() {
        for (String bad : List.of("[]", "\"x\"", "{\"databases\": {}}", "{\"database\": []}",
                "{\"databases\": [{\"dbInstanceIdentifier\": \"a\", \"dbClusterIdentifier\": \"b\"}]}",
                "{\"databases\": [{\"dbSnapshotIdentifier\": \"a\"}]}", "{\"databases\": [{\"dbInstanceIdentifier\": 7}]}",
                "{\"databases\": [{\"dbInstanceIdentifier\": \"not valid\"}]}", "{\"databases\": [\"a\"]}",
                "{\"databases\": [], \"dryRun\": true}")) {
            assertThatThrownBy(() -> select(bad)).as(bad).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> service().select(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service().select(new SelectFleetRequest("bad name", null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("fleet execution's name");
    }

    @Test
    void databaseWithARunningReplication_shouldCarryIt_dryRunsAndOwnChildrenAside() throws Exception {
        String earlier = "arn:aws:states:eu-west-1:111111111111:execution:source:orders-db-fleet-0";
        sfn.running.put(earlier, "{\"dbInstanceIdentifier\": \"orders-db\"}");
        sfn.running.put("arn:aws:states:eu-west-1:111111111111:execution:source:dry",
                "{\"dbInstanceIdentifier\": \"billing-db\", \"dryRun\": true}");
        sfn.running.put("arn:aws:states:eu-west-1:111111111111:execution:source:ledger-cluster-fleet-1",
                "{\"dbClusterIdentifier\": \"ledger\"}");

        SelectFleetResult r = select("{}");

        assertThat(r.instances()).filteredOn(i -> i.database().equals("orders-db")).extracting(FleetItem::runningExecutionArn)
                .containsExactly(earlier);
        assertThat(r.instances()).filteredOn(i -> i.database().equals("billing-db"))
                .extracting(FleetItem::runningExecutionArn).containsOnlyNulls();
        assertThat(r.clusters().get(0).runningExecutionArn()).as("this fleet's own child, started before a retry").isNull();
    }

    @Test
    void childName_shouldStayWithinEightyCharacters_andBeTheSameOnEveryRetry() {
        String fleet = "f".repeat(70);
        String db = "d".repeat(63);

        String name = SelectFleetService.childName(fleet, "cluster", db);

        assertThat(name).hasSizeLessThanOrEqualTo(80).startsWith(db + "-cluster-")
                .isEqualTo(SelectFleetService.childName(fleet, "cluster", db))
                .isNotEqualTo(SelectFleetService.childName(fleet + "x", "cluster", db));
        assertThat(SelectFleetService.childName("f", "instance", "a")).isEqualTo("a-f");
    }

    @Test
    void concurrency_shouldExceedTheCopyQuota_withinTheInlineMapLimit() throws Exception {
        SelectFleetResult r = select("{}");
        assertThat(r.instanceConcurrency()).isEqualTo(30);
        assertThat(r.clusterConcurrency()).isEqualTo(10);
        assertThat(r.instanceConcurrency() + r.clusterConcurrency()).isLessThanOrEqualTo(40);

        config = new Config("k", "v", Optional.empty(), Optional.of(MACHINE), 4, 1);
        r = select("{}");
        assertThat(r.instanceConcurrency()).isEqualTo(6);
        assertThat(r.clusterConcurrency()).isEqualTo(2);
    }
}
