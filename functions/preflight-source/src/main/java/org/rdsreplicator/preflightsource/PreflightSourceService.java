package org.rdsreplicator.preflightsource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SnapshotNotShareableException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;
import org.rdsreplicator.common.errors.UnsupportedEngineException;
import org.rdsreplicator.common.kms.KeyCheck;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.AccountQuotas;
import org.rdsreplicator.common.rds.AccountQuotas.Quota;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.Kind;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.rds.SnapshotRetention;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.records.ReplicationMessageValidator;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Option;
import software.amazon.awssdk.services.rds.model.OptionGroupMembership;
import software.amazon.awssdk.services.rds.model.OptionGroupNotFoundException;

/**
 * The source side's preflight: everything that would make the run fail later, checked before any RDS work, in
 * a fixed order (the first failure is the error). Reads only. In a dry run it also plans: the names the run would
 * give its snapshots (the same derivation create-snapshot and copy-snapshot use), what source retention would
 * delete afterwards ({@link SnapshotRetention}, the policy prune-snapshots carries out, over the snapshots listed
 * now plus the two this run would add), and the message the destinations are told.
 */
@ApplicationScoped
public class PreflightSourceService {
    private static final Logger LOG = Logger.getLogger(PreflightSourceService.class);
    /** RDS for one DB instance whose manual snapshots can be copied with a CMK and shared (not Aurora, not Custom). */
    static final Set<String> SUPPORTED_ENGINES = Set.of("postgres", "mysql", "mariadb", "oracle-ee", "oracle-ee-cdb",
            "oracle-se2", "oracle-se2-cdb", "sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web",
            "db2-se", "db2-ae");
    /** A run creates two manual snapshots: the snapshot and its shareable copy. */
    static final int SNAPSHOTS_PER_RUN = 2;

    private final RdsClient rds;
    private final RdsResources resources;
    private final AccountQuotas quotas;
    private final ManagedResources managed;
    private final KeyCheck keys;
    private final PreflightSourceConfig config;
    private final ClusterPreflight clusters;

    @Inject
    public PreflightSourceService(RdsClient rds, RdsResources resources, AccountQuotas quotas,
            ManagedResources managed, KeyCheck keys, PreflightSourceConfig config) {
        this(rds, resources, quotas, managed, keys, config, new ClusterPreflight(resources, quotas, managed, keys, config));
    }

    PreflightSourceService(RdsClient rds, RdsResources resources, AccountQuotas quotas, ManagedResources managed,
            KeyCheck keys, PreflightSourceConfig config, ClusterPreflight clusters) {
        this.clusters = clusters;
        this.rds = rds;
        this.resources = resources;
        this.quotas = quotas;
        this.managed = managed;
        this.keys = keys;
        this.config = config;
    }

    public SourcePreflightReport check(PreflightSourceRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId, dbInstanceIdentifier and requestedAt is required");
        }
        if (req.dbClusterIdentifier() != null) {
            if (req.dbInstanceIdentifier() != null) {
                throw new InvalidInputException("give dbInstanceIdentifier or dbClusterIdentifier, not both");
            }
            return clusters.check(req);
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        Instant requestedAt = requestedAt(req.requestedAt());
        boolean dryRun = Boolean.TRUE.equals(req.dryRun());

        DBInstance instance = resources.instance(instanceId)
                .orElseThrow(() -> new InstanceNotFoundException("DB instance " + instanceId + " does not exist"));
        if (!"available".equals(instance.dbInstanceStatus())) {
            throw new InstanceNotAvailableException("DB instance " + instanceId + " is " + instance.dbInstanceStatus()
                    + ", not available: nothing was started");
        }
        requireSupportedEngine(instance);
        Quota snapshots = requireSnapshotRoom();
        requireShareableOptions(instance);
        String keyArn = config.kmsKeyArn().orElse(null);
        keys.requireUsable(keyArn, "the stack's ReplicationKey (REPLICATOR_KMS_KEY_ARN)");

        RdsArn instanceArn = RdsArn.parse(instance.dbInstanceArn());
        List<String> destinations = config.destinationAccounts().orElse(List.of()).stream().map(String::trim)
                .filter(a -> !a.isEmpty()).toList();
        LOG.infof("preflight of %s passed for replication %s: engine %s %s, manual snapshots %d of %d, key %s",
                instanceId, replicationId, instance.engine(), instance.engineVersion(), snapshots.used(),
                snapshots.max(), keyArn);
        if (!dryRun) {
            return new SourcePreflightReport(false, replicationId, instanceArn.accountId(), instanceArn.region(),
                    instanceId, instance.engine(), instance.engineVersion(), snapshots, keyArn, destinations, null, null,
                    null, null, null, null, null);
        }

        String snapshotId = Identifiers.forReplication(instanceId, requestedAt, replicationId);
        String copyId = Identifiers.withSuffix(snapshotId, Identifiers.SHAREABLE_COPY_SUFFIX);
        RdsArn copyArn = instanceArn.sibling(RdsArn.SNAPSHOT, copyId);
        DeletionPlan retention = retentionAfter(instanceArn, instanceId, snapshotId, copyId, replicationId);
        ReplicationMessage message = new ReplicationMessage(ReplicationMessage.CURRENT_SCHEMA_VERSION, replicationId,
                instanceArn.accountId(), instanceArn.region(), instanceId, instance.engine(), instance.engineVersion(),
                copyArn.toString(), keyArn, requestedAt.toString(), optionGroupOf(instance), true);
        // The destinations get nothing start-restore would reject.
        ReplicationMessageValidator.validate(message, instanceArn.accountId(), instanceArn.region());
        SourcePreflightReport report = new SourcePreflightReport(true, replicationId, instanceArn.accountId(),
                instanceArn.region(), instanceId, instance.engine(), instance.engineVersion(), snapshots, keyArn,
                destinations, snapshotId, copyId, describe(retention.deleted()), describe(retention.kept()), message,
                null, null);
        LOG.infof("dry run %s: would create %s and %s, share with %s, retention would delete %s", replicationId,
                snapshotId, copyId, destinations, report.retentionWouldDelete());
        return report;
    }

    static Instant requestedAt(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("requestedAt is required");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("requestedAt '" + value + "' is not an ISO-8601 instant", e);
        }
    }

    private static void requireSupportedEngine(DBInstance instance) {
        String engine = instance.engine() == null ? "" : instance.engine().toLowerCase(Locale.ROOT);
        if (instance.dbClusterIdentifier() != null && !instance.dbClusterIdentifier().isBlank()) {
            throw new UnsupportedEngineException("DB instance " + instance.dbInstanceIdentifier() + " belongs to DB "
                    + "cluster " + instance.dbClusterIdentifier() + ": only single DB instances are replicated");
        }
        if (!SUPPORTED_ENGINES.contains(engine)) {
            throw new UnsupportedEngineException("DB instance " + instance.dbInstanceIdentifier() + " runs engine '"
                    + instance.engine() + "'; supported: " + String.join(", ", SUPPORTED_ENGINES.stream().sorted().toList()));
        }
    }

    private Quota requireSnapshotRoom() {
        Quota q = quotas.quota(AccountQuotas.MANUAL_SNAPSHOTS).orElse(null);
        if (q == null) {
            LOG.warnf("RDS reports no %s quota: not checked", AccountQuotas.MANUAL_SNAPSHOTS);
            return null;
        }
        if (!q.fits(SNAPSHOTS_PER_RUN)) {
            throw new SnapshotQuotaExceededException("the account has " + q.used() + " of " + q.max()
                    + " manual DB snapshots in this Region; a replication needs room for " + SNAPSHOTS_PER_RUN);
        }
        return q;
    }

    /** Permanent or persistent options (TDE among them) make a snapshot impossible to share. */
    private void requireShareableOptions(DBInstance instance) {
        if (!instance.hasOptionGroupMemberships()) {
            return;
        }
        for (OptionGroupMembership membership : instance.optionGroupMemberships()) {
            String group = membership.optionGroupName();
            List<Option> options;
            try {
                options = rds.describeOptionGroups(r -> r.optionGroupName(group)).optionGroupsList().stream()
                        .filter(g -> g.hasOptions()).flatMap(g -> g.options().stream()).toList();
            } catch (OptionGroupNotFoundException e) {
                // The instance names it, RDS does not list it (a default group on some engines): nothing to check.
                LOG.warnf("option group %s of %s is not listed: its options are not checked", group,
                        instance.dbInstanceIdentifier());
                continue;
            } catch (AwsServiceException e) {
                throw RdsErrors.translate(e, "cannot describe option group " + group);
            }
            List<String> blocking = new ArrayList<>();
            for (Option o : options) {
                String name = o.optionName() == null ? "" : o.optionName();
                if (Boolean.TRUE.equals(o.permanent()) || Boolean.TRUE.equals(o.persistent())
                        || name.toUpperCase(Locale.ROOT).contains("TDE")) {
                    blocking.add(name + (Boolean.TRUE.equals(o.permanent()) ? " (permanent)" : "")
                            + (Boolean.TRUE.equals(o.persistent()) ? " (persistent)" : ""));
                }
            }
            if (!blocking.isEmpty()) {
                throw new SnapshotNotShareableException("DB instance " + instance.dbInstanceIdentifier()
                        + " uses option group " + group + " with " + String.join(", ", blocking)
                        + ": a snapshot with permanent or persistent options (or TDE) cannot be shared");
            }
        }
    }

    /**
     * What prune-snapshots would decide after this run: the managed snapshots of the instance listed now, plus
     * the snapshot and the available shareable copy this run would add (no creation time yet: the newest).
     */
    private DeletionPlan retentionAfter(RdsArn instanceArn, String instanceId, String snapshotId, String copyId,
            String replicationId) {
        List<ManagedResource> snapshots = new ArrayList<>(managed.snapshotsOf(instanceId));
        snapshots.add(planned(instanceArn, snapshotId, replicationId, instanceId, Tags.KIND_SOURCE_SNAPSHOT));
        snapshots.add(planned(instanceArn, copyId, replicationId, instanceId, Tags.KIND_SHAREABLE_COPY));
        return SnapshotRetention.plan(snapshots, config.snapshotRetentionKeep(), replicationId,
                java.time.Instant.now().minus(config.snapshotRetentionHold()));
    }

    private static ManagedResource planned(RdsArn instanceArn, String id, String replicationId, String instanceId,
            String kind) {
        return new ManagedResource(Kind.ofSnapshot(kind), id, instanceArn.sibling(RdsArn.SNAPSHOT, id).toString(),
                "available", null, false, Tags.asMap(Tags.managed(replicationId, instanceId, kind)));
    }

    static List<String> describe(List<DeletionPlan.Decision> decisions) {
        return decisions.stream().map(d -> d.resource().id() + ": " + d.reason()).toList();
    }

    /** The option group the snapshot would carry (its instance's), as notify-destination reports it. */
    private static String optionGroupOf(DBInstance instance) {
        return instance.optionGroupMemberships().stream().map(OptionGroupMembership::optionGroupName).findFirst()
                .orElse(null);
    }
}
