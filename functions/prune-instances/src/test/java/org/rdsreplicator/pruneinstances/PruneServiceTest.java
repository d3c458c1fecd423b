package org.rdsreplicator.pruneinstances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.TransientAwsException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.FakeSecrets;
import org.rdsreplicator.common.testing.Harness;
import org.rdsreplicator.common.testing.InMemoryPromotionLock;

import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbSnapshotStateException;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * Retention over a mix of managed, unmanaged, deletion-protected and current instances (FakeRds) with
 * the secret in FakeSecrets.
 */
class PruneServiceTest {
    static final Instant T0 = Instant.parse("2026-11-10T09:30:00Z");

    // Managed instances, newest first.
    static final String A_CURRENT = "orders-db-20261117t093000z-aaaaaa"; // day 7, the secret's target
    static final String B_RETIRED = "orders-db-20261116t093000z-bbbbbb"; // day 6
    static final String C_RETIRED = "orders-db-20261115t093000z-cccccc"; // day 5
    static final String D_CLEANUP = "orders-db-20261114t093000z-dddddd"; // day 4
    static final String E_PROTECTED = "orders-db-20261113t093000z-eeeeee"; // day 3, deletion protection
    static final String H_NO_ROLE = "orders-db-20261111t093000z-hhhhhh"; // day 1
    static final String I_STALE_CURRENT = "orders-db-20261110t133000z-iiiiii"; // day 0.5, role current
    static final String J_DELETING = "orders-db-20261110t100000z-jjjjjj"; // day 0, already deleting
    // Not managed.
    static final String F_UNMANAGED_RETIRED = "orders-db-legacy"; // day 2, role tag but no managed-by
    static final String G_UNMANAGED_NEWEST = "reporting-db"; // day 8
    static final String K_OTHER_OWNER = "orders-db-copy-by-someone"; // day 1, managed-by another value

    Harness h;
    FakeSecrets secrets;
    InMemoryPromotionLock lock = new InMemoryPromotionLock();
    int keep = 2;
    boolean finalSnapshot;
    PruneService service;

    @BeforeEach
    void setUp() {
        h = new Harness();
        secrets = new FakeSecrets();
        RetentionConfig config = new RetentionConfig() {
            @Override
            public int keep() {
                return keep;
            }

            @Override
            public boolean finalSnapshot() {
                return finalSnapshot;
            }
        };
        service = new PruneService(h.managed, secrets.store(FakeSecrets.ARN), config, lock);
        managed(A_CURRENT, 7, Tags.ROLE_CURRENT);
        managed(B_RETIRED, 6, Tags.ROLE_RETIRED);
        managed(C_RETIRED, 5, Tags.ROLE_RETIRED);
        managed(D_CLEANUP, 4, Tags.ROLE_CLEANUP);
        managed(E_PROTECTED, 3, Tags.ROLE_RETIRED).deletionProtection = true;
        managed(H_NO_ROLE, 1, null);
        managed(I_STALE_CURRENT, 0.5, Tags.ROLE_CURRENT);
        managed(J_DELETING, 0, Tags.ROLE_RETIRED).status = "deleting";
        instance(F_UNMANAGED_RETIRED, 2).tags.add(Tags.tag(Tags.ROLE, Tags.ROLE_RETIRED));
        instance(G_UNMANAGED_NEWEST, 8);
        FakeRds.Inst k = instance(K_OTHER_OWNER, 1);
        k.tags.add(Tags.tag(Tags.MANAGED_BY, "someone-else"));
        k.tags.add(Tags.tag(Tags.ROLE, Tags.ROLE_RETIRED));
        pointSecretAt(A_CURRENT);
    }

    void pointSecretAt(String id) {
        secrets.create(FakeSecrets.ARN, "{\"host\":\"" + id + ".abc.rds.example\",\"port\":5432,\"username\":\"app\","
                + "\"password\":\"pw\",\"dbInstanceIdentifier\":\"" + id + "\"}");
    }

    static Instant day(double d) {
        return T0.plus((long) (d * 24 * 60), ChronoUnit.MINUTES);
    }

    static String replicationOf(String id) {
        return "run-" + id.substring(10, 26);
    }

    FakeRds.Inst instance(String id, double createdDay) {
        FakeRds.Inst i = h.rds.addInstance(id, "available");
        i.created = day(createdDay);
        return i;
    }

    FakeRds.Inst managed(String id, double createdDay, String role) {
        FakeRds.Inst i = instance(id, createdDay);
        i.tags.addAll(Tags.managed(replicationOf(id), "orders-db", null));
        if (role != null) {
            i.tags.add(Tags.tag(Tags.ROLE, role));
        }
        return i;
    }

    FakeRds.Snap copy(String id, String replicationId, double createdDay, String kind) {
        FakeRds.Snap s = h.rds.addSnapshot(id, "orders-db", "available");
        s.created = day(createdDay);
        s.tags.addAll(Tags.managed(replicationId, "orders-db", kind));
        return s;
    }

    @Test
    void mixedInstances_shouldDeleteOnlyOldRetiredOrCleanupManagedOnes() {
        PruneResult r = service.prune(new PruneRequest("orders-db-20261117T093000Z"));

        assertThat(r.kept()).containsExactly(A_CURRENT, B_RETIRED, H_NO_ROLE, I_STALE_CURRENT);
        assertThat(r.deleted()).containsExactly(C_RETIRED, D_CLEANUP);
        assertThat(r.skipped()).containsExactly(E_PROTECTED);
        assertThat(h.rds.instances).doesNotContainKeys(C_RETIRED, D_CLEANUP)
                .containsKeys(A_CURRENT, B_RETIRED, E_PROTECTED, H_NO_ROLE, I_STALE_CURRENT, J_DELETING,
                        F_UNMANAGED_RETIRED, G_UNMANAGED_NEWEST, K_OTHER_OWNER);
        assertThat(h.rds.calls("deleteDBInstance")).isEqualTo(2);
        assertThat(h.rds.snapshots).as("no final snapshot by default").isEmpty();
    }

    @Test
    void unmanagedNewestInstance_shouldNotTakeAKeepSlot() {
        keep = 1;

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.kept()).startsWith(A_CURRENT).doesNotContain(G_UNMANAGED_NEWEST, B_RETIRED);
        assertThat(r.deleted()).containsExactly(B_RETIRED, C_RETIRED, D_CLEANUP);
        assertThat(h.rds.instances).containsKey(G_UNMANAGED_NEWEST);
    }

    @Test
    void secretPointingAtOldRetiredInstance_shouldSkipIt() {
        pointSecretAt(C_RETIRED);

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.skipped()).containsExactlyInAnyOrder(C_RETIRED, E_PROTECTED);
        assertThat(r.deleted()).containsExactly(D_CLEANUP);
        assertThat(h.rds.instances).containsKey(C_RETIRED);
    }

    @Test
    void cleanupInstance_shouldBeDeletedWhateverItsRankAndTakeNoPlace() {
        String failedSwitch = "orders-db-20261118t093000z-nnnnnn";
        managed(failedSwitch, 7.5, Tags.ROLE_CLEANUP);

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.deleted()).containsExactly(failedSwitch, C_RETIRED, D_CLEANUP);
        assertThat(r.kept()).startsWith(A_CURRENT, B_RETIRED);
        assertThat(h.rds.instances).doesNotContainKey(failedSwitch).containsKey(B_RETIRED);
    }

    @Test
    void cleanupInstanceTheSecretPointsAt_shouldBeSkipped() {
        h.rds.instances.get(A_CURRENT).tags.removeIf(t -> t.key().equals(Tags.ROLE));
        h.rds.instances.get(A_CURRENT).tags.add(Tags.tag(Tags.ROLE, Tags.ROLE_CLEANUP));

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.skipped()).containsExactlyInAnyOrder(A_CURRENT, E_PROTECTED);
        assertThat(h.rds.instances).containsKey(A_CURRENT);
    }

    @Test
    void restoresInFlight_shouldNeitherTakeARetentionPlaceNorBeDeleted() {
        String restoring = "orders-db-20261118t093000z-nnnnnn";
        managed(restoring, 0, null).status = "creating";
        h.rds.instances.get(restoring).created = null; // RDS reports no creation time yet
        String restoredNotSwitched = "orders-db-20261118t103000z-pppppp";
        managed(restoredNotSwitched, 7.6, null);

        PruneResult r = service.prune(new PruneRequest(null));

        // The two newest promoted instances stay, however many restores are in flight.
        assertThat(r.kept()).containsSubsequence(restoring, restoredNotSwitched, A_CURRENT, B_RETIRED);
        assertThat(r.deleted()).containsExactly(C_RETIRED, D_CLEANUP);
        assertThat(h.rds.instances).containsKeys(restoring, restoredNotSwitched, B_RETIRED);
    }

    @Test
    void snapshotTimeTag_shouldRankInstancesBeforeCreationTime() {
        // B was restored late (day 6) from an old snapshot (day 1); C from the day-5.5 snapshot.
        h.rds.instances.get(B_RETIRED).tags.add(Tags.tag(Tags.SNAPSHOT_TIME, day(1).toString()));
        h.rds.instances.get(C_RETIRED).tags.add(Tags.tag(Tags.SNAPSHOT_TIME, day(5.5).toString()));

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.kept()).startsWith(A_CURRENT, C_RETIRED);
        assertThat(r.deleted()).containsExactly(D_CLEANUP, B_RETIRED);
        assertThat(h.rds.instances).containsKey(C_RETIRED).doesNotContainKey(B_RETIRED);
    }

    @Test
    void unreadableSnapshotTimeTag_shouldFallBackToCreationTime() {
        h.rds.instances.get(B_RETIRED).tags.add(Tags.tag(Tags.SNAPSHOT_TIME, "yesterday"));

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.kept()).startsWith(A_CURRENT, B_RETIRED);
        assertThat(r.deleted()).containsExactly(C_RETIRED, D_CLEANUP);
    }

    @Test
    void throttledDelete_shouldFailWithThrottled() {
        h.rds.failNext("deleteDBInstance", FakeRds.error(RdsException.builder(), "Throttling", "Rate exceeded"));

        assertThatThrownBy(() -> service.prune(new PruneRequest(null))).isInstanceOf(TransientAwsException.class);
    }

    @Test
    void finalSnapshotOn_shouldDeleteWithTaggedFinalSnapshot() {
        finalSnapshot = true;

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.deleted()).containsExactly(C_RETIRED, D_CLEANUP);
        FakeRds.Snap fin = h.rds.snapshots.get(C_RETIRED + "-final");
        assertThat(fin).isNotNull();
        assertThat(Tags.asMap(fin.tags)).containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                .containsEntry(Tags.KIND, "final-snapshot").containsEntry(Tags.REPLICATION_ID, replicationOf(C_RETIRED));
        assertThat(h.rds.snapshots).containsKey(D_CLEANUP + "-final");
    }

    @Test
    void rerun_shouldDeleteNothingMore() {
        service.prune(new PruneRequest(null));

        PruneResult again = service.prune(new PruneRequest(null));

        assertThat(again.deleted()).isEmpty();
        assertThat(again.skipped()).containsExactly(E_PROTECTED);
        assertThat(h.rds.calls("deleteDBInstance")).isEqualTo(2);
    }

    @Test
    void deleteRefusedForState_shouldSkipThatInstanceAndGoOn() {
        h.rds.failNext("deleteDBInstance", FakeRds.error(InvalidDbInstanceStateException.builder(),
                "InvalidDBInstanceState", "Instance is currently modifying"));

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.skipped()).containsExactlyInAnyOrder(C_RETIRED, E_PROTECTED);
        assertThat(r.deleted()).containsExactly(D_CLEANUP);
    }

    @Test
    void keepBelowOne_shouldFailWithConfigurationAndDeleteNothing() {
        keep = 0;

        assertThatThrownBy(() -> service.prune(new PruneRequest(null))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATOR_RETENTION_KEEP");
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
        assertThat(h.rds.calls("describeDBInstances")).isZero();
    }

    @Test
    void prune_shouldReleaseThePromotionLockOfItsReplicationOnly() {
        lock.acquire("orders-db-20261124T093000Z");
        service.prune(new PruneRequest("orders-db-20261124T093000Z"));
        assertThat(lock.owner).as("the switch of this run took it; retention ends the promotion").isNull();

        lock.acquire("orders-db-20261125T093000Z");
        service.prune(new PruneRequest("orders-db-20261124T093000Z"));
        assertThat(lock.owner).as("another run's lock is never freed").isEqualTo("orders-db-20261125T093000Z");
    }

    @Test
    void unreadableSecret_shouldDeleteNothing() {
        secrets = new FakeSecrets(); // no secret at all
        service = new PruneService(h.managed, secrets.store(FakeSecrets.ARN), new RetentionConfig() {
            @Override
            public int keep() {
                return 1;
            }

            @Override
            public boolean finalSnapshot() {
                return false;
            }
        }, lock);

        assertThatThrownBy(() -> service.prune(new PruneRequest(null)))
                .isInstanceOf(software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException.class);
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
    }

    @Test
    void throttledListing_shouldFailWithThrottledAndDeleteNothing() {
        h.rds.failNext("describeDBInstances", FakeRds.error(RdsException.builder(), "Throttling", "Rate exceeded"));

        assertThatThrownBy(() -> service.prune(new PruneRequest(null))).isInstanceOf(TransientAwsException.class);
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
    }

    @Test
    void malformedReplicationId_shouldFailWithInvalidInput() {
        assertThatThrownBy(() -> service.prune(new PruneRequest("bad id!"))).isInstanceOf(InvalidInputException.class);
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
    }

    @Test
    void localCopies_shouldGoOnlyWhenTheirJobIsDone() {
        copy("copy-of-a", replicationOf(A_CURRENT), 6.9, "local-copy"); // instance available -> delete
        copy("copy-of-c", replicationOf(C_RETIRED), 4.9, "local-copy"); // instance available (deleted now) -> delete
        copy("copy-of-restoring", "run-restoring", 7.4, "local-copy"); // instance restoring -> keep
        managed("orders-db-20261118t093000z-rrrrrr", 7.5, null).status = "creating";
        h.rds.instances.get("orders-db-20261118t093000z-rrrrrr").tags
                .replaceAll(t -> t.key().equals(Tags.REPLICATION_ID) ? Tags.tag(Tags.REPLICATION_ID, "run-restoring") : t);
        copy("copy-old-orphan", "run-failed-long-ago", 2, "local-copy"); // no instance, older than kept -> delete
        copy("copy-awaiting-restore", "run-next", 7.8, "local-copy"); // no instance yet, newer -> keep
        copy("copy-in-progress", "run-old-copying", 1, "local-copy").status = "copying"; // not available -> keep
        copy("source-snap", "run-x", 1, "source-snapshot"); // other kind -> keep
        copy("final-snap", "run-y", 1, "final-snapshot"); // other kind -> keep
        FakeRds.Snap foreign = h.rds.addSnapshot("foreign-copy", "orders-db", "available"); // no managed-by -> keep
        foreign.created = day(1);
        foreign.tags.add(Tags.tag(Tags.KIND, "local-copy"));
        foreign.tags.add(Tags.tag(Tags.REPLICATION_ID, replicationOf(A_CURRENT)));

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.deletedSnapshots()).containsExactlyInAnyOrder("copy-of-a", "copy-of-c", "copy-old-orphan");
        assertThat(h.rds.snapshots).containsOnlyKeys("copy-of-restoring", "copy-awaiting-restore", "copy-in-progress",
                "source-snap", "final-snap", "foreign-copy");
    }

    @Test
    void snapshotInUse_shouldBeKeptAndReportedNotDeleted() {
        copy("copy-of-a", replicationOf(A_CURRENT), 6.9, "local-copy");
        h.rds.failNext("deleteDBSnapshot", FakeRds.error(InvalidDbSnapshotStateException.builder(),
                "InvalidDBSnapshotState", "snapshot is in use"));

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.deletedSnapshots()).isEmpty();
        assertThat(h.rds.snapshots).containsKey("copy-of-a");
    }

    @Test
    void noManagedInstances_shouldDeleteNoCopyByAge() {
        h.rds.instances.values().removeIf(i -> Tags.isManaged(i.tags));
        copy("copy-old-orphan", "run-failed-long-ago", 2, "local-copy");

        PruneResult r = service.prune(new PruneRequest(null));

        assertThat(r.kept()).isEmpty();
        assertThat(r.deletedSnapshots()).isEmpty();
        assertThat(List.copyOf(h.rds.snapshots.keySet())).containsExactly("copy-old-orphan");
    }

    // ---- per-database secrets (a fleet) --------------------------------------------------------------------------

    static final String SOURCE_ACCOUNT = "999999999999";

    FakeRds.Inst ledger(String id, double createdDay, String role) {
        FakeRds.Inst i = instance(id, createdDay);
        i.tags.addAll(Tags.managed("run-" + id, "ledger-db", null));
        i.tags.add(Tags.tag(Tags.ROLE, role));
        return i;
    }

    @Test
    void perDatabaseSecrets_shouldPruneOnlyTheRunsDatabase_againstItsOwnSecret() {
        keep = 1;
        String ledgerCurrent = "ledger-db-20261117t093000z-111111";
        String ledgerRetired = "ledger-db-20261116t093000z-222222";
        String ledgerOlder = "ledger-db-20261115t093000z-333333";
        ledger(ledgerCurrent, 7, Tags.ROLE_CURRENT);
        ledger(ledgerRetired, 6, Tags.ROLE_RETIRED);
        ledger(ledgerOlder, 5, Tags.ROLE_RETIRED);
        // ledger-db's secret names its retired copy (a rollback): that one stays whatever its rank.
        secrets.create("rds-replicator/" + SOURCE_ACCOUNT + "/ledger-db", "{\"host\":\"x\",\"port\":5432,"
                + "\"username\":\"app\",\"password\":\"pw\",\"dbInstanceIdentifier\":\"" + ledgerRetired + "\"}");
        PruneService perDatabase = new PruneService(h.managed, secrets.perDatabaseStore(SOURCE_ACCOUNT),
                new RetentionConfig() {
                    @Override
                    public int keep() {
                        return keep;
                    }

                    @Override
                    public boolean finalSnapshot() {
                        return false;
                    }
                }, lock);

        PruneResult r = perDatabase.prune(new PruneRequest("run-ledger", "ledger-db"));

        assertThat(r.kept()).containsExactly(ledgerCurrent);
        assertThat(r.skipped()).as("the instance ledger-db's secret names").containsExactly(ledgerRetired);
        assertThat(r.deleted()).containsExactly(ledgerOlder);
        assertThat(h.rds.instances).containsKeys(ledgerCurrent, ledgerRetired).doesNotContainKey(ledgerOlder);
        // orders-db's instances belong to another database (and secret): not even planned.
        assertThat(h.rds.instances).containsKeys(A_CURRENT, B_RETIRED, C_RETIRED, D_CLEANUP);
        assertThat(r.kept()).doesNotContain(A_CURRENT);
    }

    @Test
    void perDatabaseSecrets_withoutTheSourceDatabase_shouldRefuseAndDeleteNothing() {
        PruneService perDatabase = new PruneService(h.managed, secrets.perDatabaseStore(SOURCE_ACCOUNT),
                new RetentionConfig() {
                    @Override
                    public int keep() {
                        return 1;
                    }

                    @Override
                    public boolean finalSnapshot() {
                        return false;
                    }
                }, lock);

        assertThatThrownBy(() -> perDatabase.prune(new PruneRequest("run-x"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sourceInstance");
        assertThat(h.rds.calls("deleteDBInstance")).isZero();
    }

    // ---- Aurora clusters: retained like instances, the writer first, never the secret's cluster -----------

    void restoredCluster(String id, String snapshotTime, String role) {
        h.rds.addCluster(id, "available");
        var tags = new java.util.ArrayList<>(Tags.managedCluster("run-" + id, "ledger"));
        tags.add(Tags.tag(Tags.SNAPSHOT_TIME, snapshotTime));
        if (role != null) {
            tags.add(Tags.tag(Tags.ROLE, role));
        }
        h.rds.clusterTags.put(id, tags);
        FakeRds.Inst writer = h.rds.addInstance(id + "-writer", "available");
        writer.clusterId = id;
        writer.tags.addAll(Tags.managedCluster("run-" + id, "ledger"));
    }

    @Test
    void clusters_shouldBePrunedWithTheSameRules_writerFirst_neverTheSecretsCluster() {
        restoredCluster("ledger-c3", "2026-11-23T00:00:00Z", Tags.ROLE_CURRENT);
        restoredCluster("ledger-c2", "2026-11-22T00:00:00Z", Tags.ROLE_RETIRED);
        restoredCluster("ledger-c1", "2026-11-21T00:00:00Z", Tags.ROLE_RETIRED);
        secrets.create(FakeSecrets.ARN, "{\"host\":\"ledger-c3.cluster-abc.rds.example\",\"port\":5432,"
                + "\"username\":\"app\",\"password\":\"pw\",\"dbClusterIdentifier\":\"ledger-c3\"}");

        PruneResult r = service.prune(new PruneRequest("run-ledger-c3"));

        assertThat(r.deleted()).contains("ledger-c1-writer", "ledger-c1");
        assertThat(r.kept()).contains("ledger-c3", "ledger-c2").doesNotContain("ledger-c1");
        assertThat(h.rds.clusters).containsKeys("ledger-c3", "ledger-c2").doesNotContainKey("ledger-c1");
        assertThat(h.rds.instances).containsKeys("ledger-c3-writer", "ledger-c2-writer")
                .doesNotContainKey("ledger-c1-writer");
        assertThat(h.rds.clusterDeletes).extracting(d -> d.dbClusterIdentifier()).containsExactly("ledger-c1");
        assertThat(h.rds.clusterDeletes.get(0).skipFinalSnapshot()).isTrue();
    }

    @Test
    void perDatabaseSecrets_clusterRun_shouldPruneThatClustersCopiesAgainstItsOwnSecret_only() {
        restoredCluster("ledger-c3", "2026-11-23T00:00:00Z", Tags.ROLE_CURRENT);
        restoredCluster("ledger-c2", "2026-11-22T00:00:00Z", Tags.ROLE_RETIRED);
        restoredCluster("ledger-c1", "2026-11-21T00:00:00Z", Tags.ROLE_RETIRED);
        secrets.create("rds-replicator/" + SOURCE_ACCOUNT + "/cluster/ledger", "{\"host\":\"x\",\"port\":5432,"
                + "\"username\":\"app\",\"password\":\"pw\",\"dbClusterIdentifier\":\"ledger-c3\"}");
        PruneService perDatabase = new PruneService(h.managed, secrets.perDatabaseStore(SOURCE_ACCOUNT),
                new RetentionConfig() {
                    @Override
                    public int keep() {
                        return 2;
                    }

                    @Override
                    public boolean finalSnapshot() {
                        return false;
                    }
                }, lock);

        // A cluster's message has no sourceInstance: the source is the tag of the cluster the run restored.
        PruneResult r = perDatabase.prune(new PruneRequest("run-ledger-c3", null));

        assertThat(r.deleted()).containsExactly("ledger-c1-writer", "ledger-c1");
        assertThat(h.rds.clusters).containsKeys("ledger-c3", "ledger-c2").doesNotContainKey("ledger-c1");
        // orders-db's instances belong to another database and secret: untouched.
        assertThat(h.rds.instances).containsKeys(A_CURRENT, B_RETIRED, C_RETIRED, D_CLEANUP);
    }
}
