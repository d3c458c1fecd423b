package org.rdsreplicator.common.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.*;

/**
 * An in-memory RDS that keeps instances, snapshots, snapshot attributes, tags and states, for unit
 * tests of the services. Resources are created in the status a test chooses (default: the status
 * real RDS reports first, {@code creating}); {@link #settle} moves them on. Any operation can be
 * made to fail once with {@link #failNext}. Listing Describe calls page like RDS (MaxRecords, default
 * 100, and a marker) and return each resource's TagList unless {@link #describeOmitsTags}; {@link #calls}
 * counts every call by operation.
 */
public class FakeRds implements RdsClient {
    public static final String ACCOUNT = "111111111111";
    public static final String REGION = "eu-west-1";

    /** Mutable model of one instance. */
    public static final class Inst {
        public String id;
        public String status = "available";
        public String engine = "postgres";
        public String engineVersion = "16.4";
        public String kmsKeyId;
        public boolean encrypted;
        public boolean deletionProtection;
        public boolean publiclyAccessible;
        public String masterPassword = "source-password";
        public String masterUsername = "app";
        /** A master password set with ModifyDBInstance that is not yet in effect (RDS: resetting-master-credentials). */
        public String pendingPassword;
        /** When true, ModifyDBInstance(MasterUserPassword) leaves the reset pending until {@link #completeReset}. */
        public boolean asyncPasswordReset;
        public Instant created = Instant.parse("2026-01-01T00:00:00Z");
        public RestoreDbInstanceFromDbSnapshotRequest restoredWith;
        /** The Aurora cluster the instance belongs to (null for a stand-alone instance), and how it was created. */
        public String clusterId;
        public CreateDbInstanceRequest createdWith;
        /** GiB (null: not reported). */
        public Integer allocatedStorage;
        public final List<Tag> tags = new ArrayList<>();

        public String arn() {
            return "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":db:" + id;
        }

        DBInstance toSdk() {
            return DBInstance.builder().dbInstanceIdentifier(id).dbInstanceArn(arn()).dbInstanceStatus(status)
                    .engine(engine).engineVersion(engineVersion).kmsKeyId(kmsKeyId).storageEncrypted(encrypted)
                    .deletionProtection(deletionProtection).publiclyAccessible(publiclyAccessible)
                    .instanceCreateTime(created).masterUsername(masterUsername).dbClusterIdentifier(clusterId)
                    .allocatedStorage(allocatedStorage)
                    .pendingModifiedValues(pendingPassword == null ? null
                            : PendingModifiedValues.builder().masterUserPassword("****").build())
                    .endpoint(Endpoint.builder().address(id + ".abc.rds.example").port(5432).build())
                    .tagList(List.copyOf(tags)).build();
        }
    }

    /** Mutable model of one snapshot. */
    public static final class Snap {
        public String id;
        public String arn;
        public String instanceId;
        public String status = "creating";
        public String engine = "postgres";
        public String engineVersion = "16.4";
        public String kmsKeyId;
        public boolean encrypted;
        public String type = "manual";
        /** The option group RDS reports for the snapshot (that of its instance). */
        public String optionGroup = "default:postgres-16";
        public Instant created = Instant.parse("2026-01-01T00:00:00Z");
        public final Set<String> restoreAccounts = new LinkedHashSet<>();
        public final List<Tag> tags = new ArrayList<>();

        DBSnapshot toSdk() {
            return DBSnapshot.builder().dbSnapshotIdentifier(id).dbSnapshotArn(arn).dbInstanceIdentifier(instanceId)
                    .status(status).engine(engine).engineVersion(engineVersion).kmsKeyId(kmsKeyId).encrypted(encrypted)
                    .snapshotType(type).snapshotCreateTime(created).optionGroupName(optionGroup)
                    .tagList(List.copyOf(tags)).build();
        }
    }

    public final Map<String, Inst> instances = new LinkedHashMap<>();
    public final Map<String, Snap> snapshots = new LinkedHashMap<>();
    /** Aurora clusters and cluster snapshots, as the SDK describes them (a test replaces an entry to change it). */
    public final Map<String, DBCluster> clusters = new LinkedHashMap<>();
    public final Map<String, DBClusterSnapshot> clusterSnapshots = new LinkedHashMap<>();
    /** Status given to snapshots and instances this fake creates. */
    public String initialStatus = "creating";
    /** Keys this fake accepts as usable (any key when empty). */
    public final Set<String> usableKeys = new LinkedHashSet<>();
    private final Map<String, AwsServiceException> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Count of snapshots after which CreateDBSnapshot reports the quota (unlimited when 0). */
    public int snapshotQuota;
    /** When true, listing Describe calls return resources without a TagList (as some endpoints do). */
    public boolean describeOmitsTags;

    // ---- test controls -------------------------------------------------------------------------

    public Inst addInstance(String id, String status) {
        Inst i = new Inst();
        i.id = id;
        i.status = status;
        instances.put(id, i);
        return i;
    }

    public Snap addSnapshot(String id, String instanceId, String status) {
        Snap s = new Snap();
        s.id = id;
        s.arn = "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":snapshot:" + id;
        s.instanceId = instanceId;
        s.status = status;
        snapshots.put(id, s);
        return s;
    }

    /** Makes the next call of {@code operation} (e.g. "createDBSnapshot") throw {@code e}. */
    public void failNext(String operation, AwsServiceException e) {
        failures.put(operation, e);
    }

    public int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    public void settleAll(String status) {
        snapshots.values().forEach(s -> s.status = status);
    }

    public static AwsServiceException error(AwsServiceException.Builder b, String code, String message) {
        return b.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message).statusCode(400).build();
    }

    private void enter(String op) {
        calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        AwsServiceException e = failures.remove(op);
        if (e != null) {
            throw e;
        }
    }

    private Snap snapshotOrThrow(String idOrArn) {
        String id = idOrArn.startsWith("arn:") ? idOrArn.substring(idOrArn.lastIndexOf(':') + 1) : idOrArn;
        Snap s = snapshots.get(id);
        if (s == null) {
            throw (DbSnapshotNotFoundException) error(DbSnapshotNotFoundException.builder(), "DBSnapshotNotFound",
                    "DBSnapshot " + idOrArn + " not found.");
        }
        return s;
    }

    private Inst instanceOrThrow(String id) {
        Inst i = instances.get(id);
        if (i == null) {
            throw (DbInstanceNotFoundException) error(DbInstanceNotFoundException.builder(), "DBInstanceNotFound",
                    "DBInstance " + id + " not found.");
        }
        return i;
    }

    private List<Tag> tagsOf(String arn) {
        String id = arn.substring(arn.lastIndexOf(':') + 1);
        if (arn.contains(":cluster-snapshot:")) {
            return clusterSnapshotTags(id);
        }
        if (arn.contains(":cluster:")) {
            clusterOrThrow(id);
            return clusterTags.computeIfAbsent(id, k -> new ArrayList<>());
        }
        if (arn.contains(":snapshot:")) {
            return snapshotOrThrow(id).tags;
        }
        return instanceOrThrow(id).tags;
    }

    private static void mergeTags(List<Tag> into, Collection<Tag> add) {
        for (Tag t : add) {
            into.removeIf(x -> x.key().equals(t.key()));
            into.add(t);
        }
    }

    /** An Aurora PostgreSQL cluster in {@code status}, with its writer endpoint. */
    public DBCluster addCluster(String id, String status) {
        DBCluster c = DBCluster.builder().dbClusterIdentifier(id).status(status)
                .dbClusterArn("arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster:" + id).engine("aurora-postgresql")
                .engineVersion("16.4").storageEncrypted(true).endpoint(id + ".cluster-abc.rds.example")
                .readerEndpoint(id + ".cluster-ro-abc.rds.example").port(5432).build();
        clusters.put(id, c);
        return c;
    }

    /** A manual cluster snapshot of {@code clusterId} in {@code status}. */
    public DBClusterSnapshot addClusterSnapshot(String id, String clusterId, String status) {
        DBClusterSnapshot s = DBClusterSnapshot.builder().dbClusterSnapshotIdentifier(id).dbClusterIdentifier(clusterId)
                .dbClusterSnapshotArn("arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster-snapshot:" + id)
                .status(status).engine("aurora-postgresql").engineVersion("16.4").storageEncrypted(true)
                .snapshotType("manual").snapshotCreateTime(Instant.parse("2026-01-01T00:00:00Z")).build();
        clusterSnapshots.put(id, s);
        return s;
    }

    // ---- RdsClient -----------------------------------------------------------------------------

    @Override
    public DescribeDbClustersResponse describeDBClusters(DescribeDbClustersRequest r) {
        enter("describeDBClusters");
        if (r.dbClusterIdentifier() != null) {
            DBCluster c = clusters.get(r.dbClusterIdentifier());
            if (c == null) {
                throw DbClusterNotFoundException.builder().message("DBCluster " + r.dbClusterIdentifier()
                        + " not found").build();
            }
            return DescribeDbClustersResponse.builder().dbClusters(c).build();
        }
        return DescribeDbClustersResponse.builder().dbClusters(List.copyOf(clusters.values())).build();
    }

    @Override
    public DescribeDbClusterSnapshotsResponse describeDBClusterSnapshots(DescribeDbClusterSnapshotsRequest r) {
        enter("describeDBClusterSnapshots");
        if (r.dbClusterSnapshotIdentifier() != null) {
            DBClusterSnapshot s = clusterSnapshots.get(r.dbClusterSnapshotIdentifier());
            if (s == null) {
                throw DbClusterSnapshotNotFoundException.builder().message("DBClusterSnapshot "
                        + r.dbClusterSnapshotIdentifier() + " not found").build();
            }
            return DescribeDbClusterSnapshotsResponse.builder().dbClusterSnapshots(s).build();
        }
        return DescribeDbClusterSnapshotsResponse.builder().dbClusterSnapshots(List.copyOf(clusterSnapshots.values()))
                .build();
    }

    @Override
    public DescribeDbInstancesResponse describeDBInstances(DescribeDbInstancesRequest r) {
        enter("describeDBInstances");
        if (r.dbInstanceIdentifier() != null) {
            return DescribeDbInstancesResponse.builder().dbInstances(instanceOrThrow(r.dbInstanceIdentifier()).toSdk())
                    .build();
        }
        List<DBInstance> all = instances.values().stream().map(Inst::toSdk).map(this::listed).toList();
        int from = from(r.marker());
        int to = to(from, r.maxRecords(), all.size());
        return DescribeDbInstancesResponse.builder().dbInstances(all.subList(from, to)).marker(next(to, all.size()))
                .build();
    }

    @Override
    public DescribeDbSnapshotsResponse describeDBSnapshots(DescribeDbSnapshotsRequest r) {
        enter("describeDBSnapshots");
        if (r.dbSnapshotIdentifier() != null) {
            return DescribeDbSnapshotsResponse.builder().dbSnapshots(snapshotOrThrow(r.dbSnapshotIdentifier()).toSdk())
                    .build();
        }
        List<DBSnapshot> all = snapshots.values().stream()
                .filter(s -> r.dbInstanceIdentifier() == null || r.dbInstanceIdentifier().equals(s.instanceId))
                .filter(s -> r.snapshotType() == null || r.snapshotType().equals(s.type))
                .map(Snap::toSdk).map(this::listed).toList();
        int from = from(r.marker());
        int to = to(from, r.maxRecords(), all.size());
        return DescribeDbSnapshotsResponse.builder().dbSnapshots(all.subList(from, to)).marker(next(to, all.size()))
                .build();
    }

    private DBInstance listed(DBInstance i) {
        return describeOmitsTags ? i.toBuilder().tagList((List<Tag>) null).build() : i;
    }

    private DBSnapshot listed(DBSnapshot s) {
        return describeOmitsTags ? s.toBuilder().tagList((List<Tag>) null).build() : s;
    }

    // Paging as RDS does it: MaxRecords 20-100 (default 100), an opaque marker while more remain.
    private static int from(String marker) {
        return marker == null ? 0 : Integer.parseInt(marker);
    }

    private static int to(int from, Integer maxRecords, int size) {
        int max = maxRecords == null ? 100 : maxRecords;
        if (max < 20 || max > 100) {
            throw error(RdsException.builder(), "InvalidParameterValue", "MaxRecords must be between 20 and 100");
        }
        return Math.min(size, from + max);
    }

    private static String next(int to, int size) {
        return to < size ? Integer.toString(to) : null;
    }

    @Override
    public CreateDbSnapshotResponse createDBSnapshot(CreateDbSnapshotRequest r) {
        enter("createDBSnapshot");
        Inst i = instanceOrThrow(r.dbInstanceIdentifier());
        if (snapshots.containsKey(r.dbSnapshotIdentifier())) {
            throw error(DbSnapshotAlreadyExistsException.builder(), "DBSnapshotAlreadyExists", "exists");
        }
        if (snapshotQuota > 0 && snapshots.size() >= snapshotQuota) {
            throw error(SnapshotQuotaExceededException.builder(), "SnapshotQuotaExceeded",
                    "Cannot create more than " + snapshotQuota + " manual snapshots");
        }
        Snap s = addSnapshot(r.dbSnapshotIdentifier(), i.id, initialStatus);
        s.engine = i.engine;
        s.engineVersion = i.engineVersion;
        s.encrypted = i.encrypted;
        s.kmsKeyId = i.kmsKeyId;
        mergeTags(s.tags, r.tags());
        return CreateDbSnapshotResponse.builder().dbSnapshot(s.toSdk()).build();
    }

    @Override
    public CopyDbSnapshotResponse copyDBSnapshot(CopyDbSnapshotRequest r) {
        enter("copyDBSnapshot");
        Snap src = snapshotOrThrow(r.sourceDBSnapshotIdentifier());
        if (snapshots.containsKey(r.targetDBSnapshotIdentifier())) {
            throw error(DbSnapshotAlreadyExistsException.builder(), "DBSnapshotAlreadyExists", "exists");
        }
        if (r.kmsKeyId() != null && !usableKeys.isEmpty() && !usableKeys.contains(r.kmsKeyId())) {
            throw error(KmsKeyNotAccessibleException.builder(), "KMSKeyNotAccessibleFault",
                    "The specified KMS key " + r.kmsKeyId() + " is not accessible");
        }
        if (!"available".equals(src.status)) {
            throw error(InvalidDbSnapshotStateException.builder(), "InvalidDBSnapshotState",
                    "snapshot " + src.id + " is " + src.status);
        }
        Snap s = addSnapshot(r.targetDBSnapshotIdentifier(), src.instanceId, initialStatus);
        s.engine = src.engine;
        s.engineVersion = src.engineVersion;
        s.encrypted = r.kmsKeyId() != null || src.encrypted;
        s.kmsKeyId = r.kmsKeyId() != null ? r.kmsKeyId() : src.kmsKeyId;
        s.optionGroup = r.optionGroupName() != null ? r.optionGroupName() : src.optionGroup;
        if (Boolean.TRUE.equals(r.copyTags())) {
            mergeTags(s.tags, src.tags);
        }
        mergeTags(s.tags, r.tags());
        return CopyDbSnapshotResponse.builder().dbSnapshot(s.toSdk()).build();
    }

    @Override
    public DeleteDbSnapshotResponse deleteDBSnapshot(DeleteDbSnapshotRequest r) {
        enter("deleteDBSnapshot");
        Snap s = snapshotOrThrow(r.dbSnapshotIdentifier());
        snapshots.remove(s.id);
        s.status = "deleted";
        return DeleteDbSnapshotResponse.builder().dbSnapshot(s.toSdk()).build();
    }

    @Override
    public ModifyDbSnapshotAttributeResponse modifyDBSnapshotAttribute(ModifyDbSnapshotAttributeRequest r) {
        enter("modifyDBSnapshotAttribute");
        Snap s = snapshotOrThrow(r.dbSnapshotIdentifier());
        if (!"restore".equals(r.attributeName())) {
            throw error(RdsException.builder(), "InvalidParameterValue", "bad attribute");
        }
        s.restoreAccounts.addAll(r.valuesToAdd());
        s.restoreAccounts.removeAll(r.valuesToRemove());
        return ModifyDbSnapshotAttributeResponse.builder().dbSnapshotAttributesResult(attributes(s)).build();
    }

    @Override
    public DescribeDbSnapshotAttributesResponse describeDBSnapshotAttributes(DescribeDbSnapshotAttributesRequest r) {
        enter("describeDBSnapshotAttributes");
        return DescribeDbSnapshotAttributesResponse.builder()
                .dbSnapshotAttributesResult(attributes(snapshotOrThrow(r.dbSnapshotIdentifier()))).build();
    }

    private static DBSnapshotAttributesResult attributes(Snap s) {
        return DBSnapshotAttributesResult.builder().dbSnapshotIdentifier(s.id)
                .dbSnapshotAttributes(DBSnapshotAttribute.builder().attributeName("restore")
                        .attributeValues(List.copyOf(s.restoreAccounts)).build())
                .build();
    }

    @Override
    public ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r) {
        enter("listTagsForResource");
        return ListTagsForResourceResponse.builder().tagList(List.copyOf(tagsOf(r.resourceName()))).build();
    }

    @Override
    public AddTagsToResourceResponse addTagsToResource(AddTagsToResourceRequest r) {
        enter("addTagsToResource");
        mergeTags(tagsOf(r.resourceName()), r.tags());
        return AddTagsToResourceResponse.builder().build();
    }

    @Override
    public RemoveTagsFromResourceResponse removeTagsFromResource(RemoveTagsFromResourceRequest r) {
        enter("removeTagsFromResource");
        tagsOf(r.resourceName()).removeIf(t -> r.tagKeys().contains(t.key()));
        return RemoveTagsFromResourceResponse.builder().build();
    }

    @Override
    public RestoreDbInstanceFromDbSnapshotResponse restoreDBInstanceFromDBSnapshot(
            RestoreDbInstanceFromDbSnapshotRequest r) {
        enter("restoreDBInstanceFromDBSnapshot");
        Snap s = snapshotOrThrow(r.dbSnapshotIdentifier());
        if (instances.containsKey(r.dbInstanceIdentifier())) {
            throw error(DbInstanceAlreadyExistsException.builder(), "DBInstanceAlreadyExists", "exists");
        }
        Inst i = addInstance(r.dbInstanceIdentifier(), initialStatus);
        i.engine = s.engine;
        i.engineVersion = s.engineVersion;
        i.encrypted = s.encrypted;
        i.kmsKeyId = s.kmsKeyId;
        i.deletionProtection = Boolean.TRUE.equals(r.deletionProtection());
        i.publiclyAccessible = Boolean.TRUE.equals(r.publiclyAccessible());
        i.restoredWith = r;
        mergeTags(i.tags, r.tags());
        return RestoreDbInstanceFromDbSnapshotResponse.builder().dbInstance(i.toSdk()).build();
    }

    @Override
    public ModifyDbInstanceResponse modifyDBInstance(ModifyDbInstanceRequest r) {
        enter("modifyDBInstance");
        Inst i = instanceOrThrow(r.dbInstanceIdentifier());
        if (r.masterUserPassword() != null) {
            if (i.asyncPasswordReset) {
                i.pendingPassword = r.masterUserPassword();
                i.status = "resetting-master-credentials";
            } else {
                i.masterPassword = r.masterUserPassword();
            }
        }
        if (r.deletionProtection() != null) {
            i.deletionProtection = r.deletionProtection();
        }
        return ModifyDbInstanceResponse.builder().dbInstance(i.toSdk()).build();
    }

    /** Puts a pending master password into effect, as RDS does when the reset finishes (RDS-EVENT-0016). */
    public void completeReset(String id) {
        Inst i = instanceOrThrow(id);
        if (i.pendingPassword != null) {
            i.masterPassword = i.pendingPassword;
            i.pendingPassword = null;
        }
        i.status = "available";
    }

    @Override
    public DeleteDbInstanceResponse deleteDBInstance(DeleteDbInstanceRequest r) {
        enter("deleteDBInstance");
        Inst i = instanceOrThrow(r.dbInstanceIdentifier());
        if (i.deletionProtection) {
            throw error(InvalidDbInstanceStateException.builder(), "InvalidDBInstanceState",
                    "instance has deletion protection");
        }
        instances.remove(i.id);
        if (Boolean.FALSE.equals(r.skipFinalSnapshot()) && r.finalDBSnapshotIdentifier() != null) {
            Snap s = addSnapshot(r.finalDBSnapshotIdentifier(), i.id, "available");
            s.tags.addAll(i.tags);
        }
        i.status = "deleting";
        return DeleteDbInstanceResponse.builder().dbInstance(i.toSdk()).build();
    }

    // ---- Aurora cluster snapshots (the source workflow of a cluster) ------------------------------

    /** Tags of the cluster snapshots, by identifier (seeded from the TagList they were created with). */
    public final Map<String, List<Tag>> clusterSnapshotTagLists = new LinkedHashMap<>();
    /** restore attribute of the cluster snapshots, by identifier. */
    public final Map<String, Set<String>> clusterSnapshotRestoreAccounts = new LinkedHashMap<>();

    /** A manual cluster snapshot of {@code clusterId} in {@code status}, created at {@code created}, with tags. */
    public DBClusterSnapshot addClusterSnapshot(String id, String clusterId, String status, Instant created,
            List<Tag> tags) {
        DBClusterSnapshot s = addClusterSnapshot(id, clusterId, status).toBuilder().snapshotCreateTime(created)
                .tagList(tags).build();
        clusterSnapshots.put(id, s);
        clusterSnapshotTagLists.put(id, new ArrayList<>(tags));
        return s;
    }

    /** Changes the status of cluster snapshot {@code id}, as RDS does when it finishes. */
    public void settleClusterSnapshot(String id, String status) {
        clusterSnapshots.put(id, clusterSnapshotOrThrow(id).toBuilder().status(status).build());
    }

    private DBClusterSnapshot clusterSnapshotOrThrow(String idOrArn) {
        String id = idOrArn.startsWith("arn:") ? idOrArn.substring(idOrArn.lastIndexOf(':') + 1) : idOrArn;
        DBClusterSnapshot s = clusterSnapshots.get(id);
        if (s == null) {
            throw (DbClusterSnapshotNotFoundException) error(DbClusterSnapshotNotFoundException.builder(),
                    "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + idOrArn + " not found.");
        }
        return s;
    }

    private List<Tag> clusterSnapshotTags(String id) {
        DBClusterSnapshot s = clusterSnapshotOrThrow(id);
        return clusterSnapshotTagLists.computeIfAbsent(id, k -> new ArrayList<>(s.hasTagList() ? s.tagList() : List.of()));
    }

    @Override
    public CreateDbClusterSnapshotResponse createDBClusterSnapshot(CreateDbClusterSnapshotRequest r) {
        enter("createDBClusterSnapshot");
        DBCluster c = clusters.get(r.dbClusterIdentifier());
        if (c == null) {
            throw (DbClusterNotFoundException) error(DbClusterNotFoundException.builder(), "DBClusterNotFoundFault",
                    "DBCluster " + r.dbClusterIdentifier() + " not found.");
        }
        if (clusterSnapshots.containsKey(r.dbClusterSnapshotIdentifier())) {
            throw error(DbClusterSnapshotAlreadyExistsException.builder(), "DBClusterSnapshotAlreadyExistsFault",
                    "exists");
        }
        DBClusterSnapshot s = addClusterSnapshot(r.dbClusterSnapshotIdentifier(), c.dbClusterIdentifier(),
                initialStatus).toBuilder().engine(c.engine()).engineVersion(c.engineVersion())
                .storageEncrypted(c.storageEncrypted()).kmsKeyId(c.kmsKeyId()).tagList(r.tags()).build();
        clusterSnapshots.put(s.dbClusterSnapshotIdentifier(), s);
        clusterSnapshotTagLists.put(s.dbClusterSnapshotIdentifier(), new ArrayList<>(r.tags()));
        return CreateDbClusterSnapshotResponse.builder().dbClusterSnapshot(s).build();
    }

    /** As Aurora: an unencrypted source cannot be encrypted by the copy (KmsKeyId is refused). */
    @Override
    public CopyDbClusterSnapshotResponse copyDBClusterSnapshot(CopyDbClusterSnapshotRequest r) {
        enter("copyDBClusterSnapshot");
        DBClusterSnapshot src = clusterSnapshotOrThrow(r.sourceDBClusterSnapshotIdentifier());
        if (clusterSnapshots.containsKey(r.targetDBClusterSnapshotIdentifier())) {
            throw error(DbClusterSnapshotAlreadyExistsException.builder(), "DBClusterSnapshotAlreadyExistsFault",
                    "exists");
        }
        if (r.kmsKeyId() != null && !usableKeys.isEmpty() && !usableKeys.contains(r.kmsKeyId())) {
            throw error(KmsKeyNotAccessibleException.builder(), "KMSKeyNotAccessibleFault",
                    "The specified KMS key " + r.kmsKeyId() + " is not accessible");
        }
        if (r.kmsKeyId() != null && !Boolean.TRUE.equals(src.storageEncrypted())) {
            throw error(RdsException.builder(), "InvalidParameterCombination",
                    "Cannot encrypt an unencrypted DB cluster snapshot during copy");
        }
        if (!"available".equals(src.status())) {
            throw error(InvalidDbClusterSnapshotStateException.builder(), "InvalidDBClusterSnapshotStateFault",
                    "snapshot " + src.dbClusterSnapshotIdentifier() + " is " + src.status());
        }
        List<Tag> tags = new ArrayList<>();
        if (Boolean.TRUE.equals(r.copyTags())) {
            mergeTags(tags, clusterSnapshotTags(src.dbClusterSnapshotIdentifier()));
        }
        mergeTags(tags, r.tags());
        DBClusterSnapshot s = addClusterSnapshot(r.targetDBClusterSnapshotIdentifier(), src.dbClusterIdentifier(),
                initialStatus).toBuilder().engine(src.engine()).engineVersion(src.engineVersion())
                .storageEncrypted(true).kmsKeyId(r.kmsKeyId() != null ? r.kmsKeyId() : src.kmsKeyId())
                .snapshotCreateTime(src.snapshotCreateTime()).tagList(tags).build();
        clusterSnapshots.put(s.dbClusterSnapshotIdentifier(), s);
        clusterSnapshotTagLists.put(s.dbClusterSnapshotIdentifier(), new ArrayList<>(tags));
        return CopyDbClusterSnapshotResponse.builder().dbClusterSnapshot(s).build();
    }

    @Override
    public DeleteDbClusterSnapshotResponse deleteDBClusterSnapshot(DeleteDbClusterSnapshotRequest r) {
        enter("deleteDBClusterSnapshot");
        DBClusterSnapshot s = clusterSnapshotOrThrow(r.dbClusterSnapshotIdentifier());
        clusterSnapshots.remove(s.dbClusterSnapshotIdentifier());
        return DeleteDbClusterSnapshotResponse.builder().dbClusterSnapshot(s.toBuilder().status("deleted").build())
                .build();
    }

    @Override
    public ModifyDbClusterSnapshotAttributeResponse modifyDBClusterSnapshotAttribute(
            ModifyDbClusterSnapshotAttributeRequest r) {
        enter("modifyDBClusterSnapshotAttribute");
        DBClusterSnapshot s = clusterSnapshotOrThrow(r.dbClusterSnapshotIdentifier());
        if (!"restore".equals(r.attributeName())) {
            throw error(RdsException.builder(), "InvalidParameterValue", "bad attribute");
        }
        Set<String> accounts = clusterSnapshotRestoreAccounts.computeIfAbsent(s.dbClusterSnapshotIdentifier(),
                k -> new LinkedHashSet<>());
        accounts.addAll(r.valuesToAdd());
        accounts.removeAll(r.valuesToRemove());
        return ModifyDbClusterSnapshotAttributeResponse.builder()
                .dbClusterSnapshotAttributesResult(clusterAttributes(s.dbClusterSnapshotIdentifier())).build();
    }

    @Override
    public DescribeDbClusterSnapshotAttributesResponse describeDBClusterSnapshotAttributes(
            DescribeDbClusterSnapshotAttributesRequest r) {
        enter("describeDBClusterSnapshotAttributes");
        String id = clusterSnapshotOrThrow(r.dbClusterSnapshotIdentifier()).dbClusterSnapshotIdentifier();
        return DescribeDbClusterSnapshotAttributesResponse.builder()
                .dbClusterSnapshotAttributesResult(clusterAttributes(id)).build();
    }

    private DBClusterSnapshotAttributesResult clusterAttributes(String id) {
        return DBClusterSnapshotAttributesResult.builder().dbClusterSnapshotIdentifier(id)
                .dbClusterSnapshotAttributes(DBClusterSnapshotAttribute.builder().attributeName("restore")
                        .attributeValues(List.copyOf(clusterSnapshotRestoreAccounts.getOrDefault(id, Set.of())))
                        .build())
                .build();
    }

    @Override
    public String serviceName() {
        return "rds";
    }

    @Override
    public void close() {
    }

    // ---- Aurora clusters: restore, writer instance, password reset, delete ---------------------------

    /** Tags of clusters, by cluster id (DBCluster is immutable: its TagList is rebuilt from here). */
    public final Map<String, List<Tag>> clusterTags = new LinkedHashMap<>();
    /** How each cluster was restored, by cluster id. */
    public final Map<String, RestoreDbClusterFromSnapshotRequest> clusterRestores = new LinkedHashMap<>();
    /** Master passwords in effect and pending (set by ModifyDBCluster, in effect after {@link #completeClusterReset}). */
    public final Map<String, String> clusterPasswords = new LinkedHashMap<>();
    public final Map<String, String> clusterPendingPasswords = new LinkedHashMap<>();
    /** Cluster ids deleted, in order, with whether a final snapshot was asked for. */
    public final List<DeleteDbClusterRequest> clusterDeletes = new ArrayList<>();

    private DBCluster clusterOrThrow(String id) {
        DBCluster c = clusters.get(id);
        if (c == null) {
            throw (DbClusterNotFoundException) error(DbClusterNotFoundException.builder(), "DBClusterNotFoundFault",
                    "DBCluster " + id + " not found.");
        }
        return c;
    }

    /** Replaces a cluster's status (e.g. {@code available} once RDS finished creating it). */
    public void settleCluster(String id, String status) {
        clusters.put(id, clusterOrThrow(id).toBuilder().status(status).build());
    }

    @Override
    public RestoreDbClusterFromSnapshotResponse restoreDBClusterFromSnapshot(RestoreDbClusterFromSnapshotRequest r) {
        enter("restoreDBClusterFromSnapshot");
        if (clusters.containsKey(r.dbClusterIdentifier())) {
            throw error(DbClusterAlreadyExistsException.builder(), "DBClusterAlreadyExistsFault", "exists");
        }
        String id = r.dbClusterIdentifier();
        DBCluster c = DBCluster.builder().dbClusterIdentifier(id).status(initialStatus)
                .dbClusterArn("arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster:" + id).engine(r.engine())
                .engineVersion(r.engineVersion()).storageEncrypted(r.kmsKeyId() != null).kmsKeyId(r.kmsKeyId())
                .deletionProtection(Boolean.TRUE.equals(r.deletionProtection())).masterUsername("app")
                .serverlessV2ScalingConfiguration(r.serverlessV2ScalingConfiguration() == null ? null
                        : ServerlessV2ScalingConfigurationInfo.builder()
                                .minCapacity(r.serverlessV2ScalingConfiguration().minCapacity())
                                .maxCapacity(r.serverlessV2ScalingConfiguration().maxCapacity()).build())
                .endpoint(id + ".cluster-abc.rds.example").readerEndpoint(id + ".cluster-ro-abc.rds.example")
                .port(5432).build();
        clusters.put(id, c);
        clusterRestores.put(id, r);
        mergeTags(clusterTags.computeIfAbsent(id, k -> new ArrayList<>()), r.tags());
        return RestoreDbClusterFromSnapshotResponse.builder().dbCluster(c).build();
    }

    @Override
    public CreateDbInstanceResponse createDBInstance(CreateDbInstanceRequest r) {
        enter("createDBInstance");
        if (instances.containsKey(r.dbInstanceIdentifier())) {
            throw error(DbInstanceAlreadyExistsException.builder(), "DBInstanceAlreadyExists", "exists");
        }
        if (r.dbClusterIdentifier() != null) {
            clusterOrThrow(r.dbClusterIdentifier());
        }
        Inst i = addInstance(r.dbInstanceIdentifier(), initialStatus);
        i.engine = r.engine();
        i.clusterId = r.dbClusterIdentifier();
        i.publiclyAccessible = Boolean.TRUE.equals(r.publiclyAccessible());
        i.createdWith = r;
        mergeTags(i.tags, r.tags());
        return CreateDbInstanceResponse.builder().dbInstance(i.toSdk()).build();
    }

    @Override
    public ModifyDbClusterResponse modifyDBCluster(ModifyDbClusterRequest r) {
        enter("modifyDBCluster");
        DBCluster c = clusterOrThrow(r.dbClusterIdentifier());
        if (r.masterUserPassword() != null) {
            clusterPendingPasswords.put(c.dbClusterIdentifier(), r.masterUserPassword());
            c = c.toBuilder().pendingModifiedValues(ClusterPendingModifiedValues.builder().masterUserPassword("****")
                    .build()).build();
            clusters.put(c.dbClusterIdentifier(), c);
        }
        return ModifyDbClusterResponse.builder().dbCluster(c).build();
    }

    /** Puts a cluster's pending master password into effect (RDS-EVENT-0016 for the cluster). */
    public void completeClusterReset(String id) {
        DBCluster c = clusterOrThrow(id);
        String pending = clusterPendingPasswords.remove(id);
        if (pending != null) {
            clusterPasswords.put(id, pending);
        }
        clusters.put(id, c.toBuilder().status("available")
                .pendingModifiedValues((ClusterPendingModifiedValues) null).build());
    }

    @Override
    public DeleteDbClusterResponse deleteDBCluster(DeleteDbClusterRequest r) {
        enter("deleteDBCluster");
        DBCluster c = clusterOrThrow(r.dbClusterIdentifier());
        if (Boolean.TRUE.equals(c.deletionProtection())) {
            throw error(InvalidDbClusterStateException.builder(), "InvalidDBClusterStateFault",
                    "cluster has deletion protection");
        }
        if (instances.values().stream().anyMatch(i -> c.dbClusterIdentifier().equals(i.clusterId))) {
            throw error(InvalidDbClusterStateException.builder(), "InvalidDBClusterStateFault",
                    "cluster still has instances");
        }
        clusters.remove(c.dbClusterIdentifier());
        clusterDeletes.add(r);
        return DeleteDbClusterResponse.builder().dbCluster(c.toBuilder().status("deleting").build()).build();
    }
}
