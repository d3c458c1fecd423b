package org.rdsreplicator.preflightdestination;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InstanceQuotaExceededException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.SecretUnreadableException;
import org.rdsreplicator.common.errors.SnapshotQuotaExceededException;
import org.rdsreplicator.common.kms.KeyCheck;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.AccountQuotas;
import org.rdsreplicator.common.rds.AccountQuotas.Quota;
import org.rdsreplicator.common.rds.DeletionPlan;
import org.rdsreplicator.common.rds.InstanceRetention;
import org.rdsreplicator.common.rds.Kind;
import org.rdsreplicator.common.rds.ManagedResource;
import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.records.ReplicationMessage;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.config.SecretScope;

import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.OptionGroup;
import software.amazon.awssdk.services.rds.model.OptionGroupNotFoundException;

/**
 * The destination side's preflight: everything that would make the run fail later, checked before any RDS work,
 * in a fixed order (the first failure is the error). Reads only. In a dry run it also plans: the copy and the
 * instance the run would make (the same derivations copy-shared-snapshot and restore-instance use) and what
 * retention would delete afterwards ({@link InstanceRetention}, the policy prune-instances carries out, over what
 * is listed now as it would be after this run's switch: the new instance current, the one the secret names now
 * retired).
 * <p>
 * An Aurora cluster's message ({@code sourceCluster}): a cluster snapshot of this Region (RDS restores a cluster
 * snapshot only in its own Region: another Region is refused here with {@link ConfigurationException}), room for one
 * more DB cluster and one more DB instance (the writer), the subnet group, security groups, key and secret as for an
 * instance; no copy is made, so no snapshot quota is needed; the dry run plans the cluster and its writer.
 */
@ApplicationScoped
public class PreflightDestinationService {
    private static final Logger LOG = Logger.getLogger(PreflightDestinationService.class);

    private final RdsClient rds;
    private final Ec2Client ec2;
    private final AccountQuotas quotas;
    private final ManagedResources managed;
    private final KeyCheck keys;
    private final SecretStore secrets;
    private final PreflightDestinationConfig config;

    public PreflightDestinationService(RdsClient rds, Ec2Client ec2, AccountQuotas quotas, ManagedResources managed,
            KeyCheck keys, SecretStore secrets, PreflightDestinationConfig config) {
        this.rds = rds;
        this.ec2 = ec2;
        this.quotas = quotas;
        this.managed = managed;
        this.keys = keys;
        this.secrets = secrets;
        this.config = config;
    }

    public DestinationPreflightReport check(PreflightDestinationRequest req) {
        if (req == null || req.message() == null) {
            throw new InvalidInputException("an input with replicationId and message is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        ReplicationMessage m = req.message();
        if (!replicationId.equals(m.replicationId())) {
            throw new InvalidInputException("replicationId " + replicationId + " is not the message's ("
                    + m.replicationId() + ")");
        }
        if (m.announcesCluster()) {
            String sourceCluster = Identifiers.requireValid("message.sourceCluster", m.sourceCluster());
            return SecretScope.forCluster(sourceCluster, () -> checkCluster(replicationId, m, sourceCluster));
        }
        RdsArn shared = RdsArn.requireSnapshot("message.snapshotArn", m.snapshotArn());
        String sourceInstance = Identifiers.requireValid("message.sourceInstance", m.sourceInstance());
        if (m.engine() == null || m.engineVersion() == null) {
            throw new InvalidInputException("message.engine and message.engineVersion are required");
        }
        return SecretScope.forSource(sourceInstance, () -> check(replicationId, m, shared, sourceInstance));
    }

    private DestinationPreflightReport check(String replicationId, ReplicationMessage m, RdsArn shared,
            String sourceInstance) {

        Quota instances = requireRoom(AccountQuotas.DB_INSTANCES, 1);
        Quota snapshots = requireRoom(AccountQuotas.MANUAL_SNAPSHOTS, 1);
        String subnetGroup = blankToNull(config.restoreSubnetGroup());
        String vpc = subnetGroup == null ? null : subnetGroupVpc(subnetGroup);
        List<String> securityGroups = config.restoreSecurityGroupIds().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        requireSecurityGroups(securityGroups, vpc, subnetGroup);
        String optionGroup = blankToNull(config.restoreOptionGroup());
        if (optionGroup != null) {
            requireOptionGroupFits(optionGroup, m.engine(), m.engineVersion());
        }
        String parameterGroup = blankToNull(config.restoreParameterGroup());
        if (parameterGroup != null) {
            requireParameterGroupFits(parameterGroup, m.engine(), m.engineVersion());
        }
        String keyArn = config.kmsKeyArn().orElse(null);
        keys.requireUsable(keyArn, "the stack's DestinationKey (REPLICATOR_KMS_KEY_ARN)");
        String current = readableSecret().map(DatabaseSecret::dbInstanceIdentifier).orElse(null);

        // This account and Region, from an ARN of its own (a per-database secret is addressed by name).
        Arn own = Arn.fromString(secrets.perDatabase() ? keyArn : secrets.secretArn());
        String account = own.accountId().orElse(null);
        String region = own.region().orElse(null);
        LOG.infof("preflight of replication %s passed: instances %s, snapshots %s, subnet group %s, security groups "
                + "%s, option group %s, parameter group %s, key %s, secret names %s", replicationId, instances,
                snapshots, subnetGroup, securityGroups, optionGroup, parameterGroup, keyArn, current);
        if (!m.announcesDryRun()) {
            return new DestinationPreflightReport(false, replicationId, account, region, m.sourceAccount(),
                    m.snapshotArn(), instances, snapshots, subnetGroup, securityGroups, optionGroup, parameterGroup,
                    keyArn, current, null, null, null, null, null);
        }

        String localCopy = Identifiers.withSuffix(shared.identifier(), Identifiers.LOCAL_COPY_SUFFIX);
        Instant snapshotTime = createdAt(m.createdAt());
        String instance = Identifiers.forReplication(sourceInstance, snapshotTime, replicationId);
        DeletionPlan retention = retentionAfter(account, region, replicationId, sourceInstance, localCopy, instance,
                snapshotTime, current);
        List<String> keep = new ArrayList<>(describe(retention.kept()));
        keep.addAll(describe(retention.notDeleted()));
        DestinationPreflightReport report = new DestinationPreflightReport(true, replicationId, account, region,
                m.sourceAccount(), m.snapshotArn(), instances, snapshots, subnetGroup, securityGroups, optionGroup,
                parameterGroup, keyArn, current, localCopy, instance, config.restoreInstanceClass().orElse(null),
                describe(retention.deleted()), keep);
        LOG.infof("dry run %s: would copy %s to %s, restore %s, retention would delete %s", replicationId,
                m.snapshotArn(), localCopy, instance, report.retentionWouldDelete());
        return report;
    }

    private DestinationPreflightReport checkCluster(String replicationId, ReplicationMessage m, String sourceCluster) {
        RdsArn shared = RdsArn.requireClusterSnapshot("message.snapshotArn", m.snapshotArn());
        if (m.engine() == null || !m.engine().startsWith("aurora")) {
            throw new InvalidInputException("message.engine '" + m.engine() + "' is not an Aurora engine");
        }
        String keyArn = config.kmsKeyArn().orElse(null);
        // This account and Region, from an ARN of its own (a per-database secret is addressed by name).
        Arn own = Arn.fromString(secrets.perDatabase() ? keyArn : secrets.secretArn());
        String account = own.accountId().orElse(null);
        String region = own.region().orElse(null);
        if (region != null && !region.equals(shared.region())) {
            throw new ConfigurationException("cluster snapshot " + shared + " is in " + shared.region() + ", this "
                    + "destination in " + region + ": RDS does not restore a cluster snapshot across Regions; deploy "
                    + "the destination stack in " + shared.region() + " for Aurora clusters");
        }
        Quota clusters = requireRoom(AccountQuotas.DB_CLUSTERS, 1);
        Quota instances = requireRoom(AccountQuotas.DB_INSTANCES, 1);
        String subnetGroup = blankToNull(config.restoreSubnetGroup());
        String vpc = subnetGroup == null ? null : subnetGroupVpc(subnetGroup);
        List<String> securityGroups = config.restoreSecurityGroupIds().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        requireSecurityGroups(securityGroups, vpc, subnetGroup);
        keys.requireUsable(keyArn, "the stack's DestinationKey (REPLICATOR_KMS_KEY_ARN)");
        String current = readableSecret().map(DatabaseSecret::dbClusterIdentifier).orElse(null);
        LOG.infof("preflight of replication %s (cluster %s) passed: clusters %s, instances %s, subnet group %s, "
                + "security groups %s, key %s, secret names cluster %s", replicationId, sourceCluster, clusters,
                instances, subnetGroup, securityGroups, keyArn, current);
        if (!m.announcesDryRun()) {
            return new DestinationPreflightReport(false, replicationId, account, region, m.sourceAccount(),
                    m.snapshotArn(), instances, null, subnetGroup, securityGroups, null, null, keyArn, current, null,
                    null, null, null, null, clusters, null);
        }
        String cluster = Identifiers.forReplication(sourceCluster, createdAt(m.createdAt()), replicationId);
        String writer = Identifiers.withSuffix(cluster, "writer");
        String writerClass = ReplicationMessage.ENGINE_MODE_SERVERLESS_V2.equals(m.engineMode()) ? "db.serverless"
                : config.clusterInstanceClass();
        LOG.infof("dry run %s: would restore cluster %s from %s with writer %s (%s)", replicationId, cluster,
                m.snapshotArn(), writer, writerClass);
        return new DestinationPreflightReport(true, replicationId, account, region, m.sourceAccount(), m.snapshotArn(),
                instances, null, subnetGroup, securityGroups, null, null, keyArn, current, null, writer, writerClass,
                List.of(), List.of(), clusters, cluster);
    }

    private Quota requireRoom(String name, int more) {
        Quota q = quotas.quota(name).orElse(null);
        if (q == null) {
            LOG.warnf("RDS reports no %s quota: not checked", name);
            return null;
        }
        if (!q.fits(more)) {
            String text = "the account has " + q.used() + " of " + q.max() + " " + name + " in this Region; the "
                    + "restore needs room for " + more + " more";
            throw AccountQuotas.DB_INSTANCES.equals(name) || AccountQuotas.DB_CLUSTERS.equals(name)
                    ? new InstanceQuotaExceededException(text)
                    : new SnapshotQuotaExceededException(text);
        }
        return q;
    }

    private String subnetGroupVpc(String name) {
        try {
            List<DBSubnetGroup> found = rds.describeDBSubnetGroups(r -> r.dbSubnetGroupName(name)).dbSubnetGroups();
            if (found.isEmpty()) {
                throw new ConfigurationException("RestoreSubnetGroup " + name + " does not exist");
            }
            return found.get(0).vpcId();
        } catch (DbSubnetGroupNotFoundException e) {
            throw new ConfigurationException("RestoreSubnetGroup " + name + " does not exist", e);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot describe DB subnet group " + name);
        }
    }

    private void requireSecurityGroups(List<String> ids, String vpc, String subnetGroup) {
        if (ids.isEmpty()) {
            return;
        }
        List<SecurityGroup> found;
        try {
            found = ec2.describeSecurityGroups(r -> r.groupIds(ids)).securityGroups();
        } catch (Ec2Exception e) {
            if (AwsFailures.isTransient(e)) {
                throw AwsFailures.translate(e, "cannot describe security groups " + ids);
            }
            throw new ConfigurationException("RestoreSecurityGroupIds " + ids + ": " + (e.awsErrorDetails() == null
                    ? e.getMessage() : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()), e);
        }
        for (String id : ids) {
            SecurityGroup g = found.stream().filter(s -> id.equals(s.groupId())).findFirst().orElseThrow(
                    () -> new ConfigurationException("RestoreSecurityGroupIds: security group " + id + " does not exist"));
            if (vpc != null && !vpc.equals(g.vpcId())) {
                throw new ConfigurationException("RestoreSecurityGroupIds: security group " + id + " is in " + g.vpcId()
                        + ", not in " + vpc + " of RestoreSubnetGroup " + subnetGroup);
            }
        }
    }

    private void requireOptionGroupFits(String name, String engine, String engineVersion) {
        OptionGroup g;
        try {
            g = rds.describeOptionGroups(r -> r.optionGroupName(name)).optionGroupsList().stream().findFirst()
                    .orElseThrow(() -> new ConfigurationException("RestoreOptionGroup " + name + " does not exist"));
        } catch (OptionGroupNotFoundException e) {
            throw new ConfigurationException("RestoreOptionGroup " + name + " does not exist", e);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot describe option group " + name);
        }
        String major = g.majorEngineVersion();
        boolean sameMajor = major == null || engineVersion.equals(major) || engineVersion.startsWith(major + ".");
        if (!engine.equalsIgnoreCase(g.engineName()) || !sameMajor) {
            throw new ConfigurationException("RestoreOptionGroup " + name + " is for " + g.engineName() + " " + major
                    + ", the snapshot is " + engine + " " + engineVersion);
        }
    }

    private void requireParameterGroupFits(String name, String engine, String engineVersion) {
        DBParameterGroup g;
        try {
            g = rds.describeDBParameterGroups(r -> r.dbParameterGroupName(name)).dbParameterGroups().stream()
                    .findFirst().orElseThrow(() -> new ConfigurationException("RestoreParameterGroup " + name
                            + " does not exist"));
        } catch (DbParameterGroupNotFoundException e) {
            throw new ConfigurationException("RestoreParameterGroup " + name + " does not exist", e);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot describe DB parameter group " + name);
        }
        String family = g.dbParameterGroupFamily() == null ? "" : g.dbParameterGroupFamily();
        Optional<String> expected = family(engine, engineVersion);
        boolean fits = expected.map(family::equalsIgnoreCase)
                // RDS does not say (an engine version it no longer lists): at least the engine must match.
                .orElseGet(() -> family.toLowerCase(Locale.ROOT).startsWith(engine.toLowerCase(Locale.ROOT)));
        if (!fits) {
            throw new ConfigurationException("RestoreParameterGroup " + name + " is of family " + family + ", the "
                    + "snapshot's " + engine + " " + engineVersion + " needs " + expected.orElse(engine + "*"));
        }
    }

    /** The parameter group family of an engine version, as RDS lists it. */
    private Optional<String> family(String engine, String engineVersion) {
        try {
            return rds.describeDBEngineVersions(r -> r.engine(engine).engineVersion(engineVersion)).dbEngineVersions()
                    .stream().map(DBEngineVersion::dbParameterGroupFamily).filter(f -> f != null && !f.isBlank())
                    .findFirst();
        } catch (AwsServiceException e) {
            if (AwsFailures.isTransient(e)) {
                throw RdsErrors.translate(e, "cannot describe engine version " + engine + " " + engineVersion);
            }
            LOG.warnf("engine version %s %s is not described (%s): its parameter group family is not known", engine,
                    engineVersion, e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode());
            return Optional.empty();
        }
    }

    /**
     * The secret, read as restore-instance reads it first ({@link SecretStore#readOrRefuse}), and in the RDS layout;
     * empty when per-database secrets are used and this database has none yet (its first restore creates it).
     */
    private Optional<DatabaseSecret> readableSecret() {
        if (secrets.perDatabase() && !secrets.exists()) {
            LOG.infof("no database secret %s yet: the first restore creates it", secrets.secretArn());
            return Optional.empty();
        }
        DatabaseSecret secret = secrets.readOrRefuse();
        List<String> problems = secret.layoutProblems();
        if (!problems.isEmpty()) {
            throw new SecretUnreadableException("the database secret " + secrets.secretArn() + " does not have the RDS "
                    + "layout: " + String.join("; ", problems));
        }
        return Optional.of(secret);
    }

    /**
     * What prune-instances would decide after this run's switch: the managed instances and snapshots listed now,
     * the instance the secret names now retired, this run's instance current and its local copy available.
     */
    private DeletionPlan retentionAfter(String account, String region, String replicationId, String sourceInstance,
            String localCopy, String instance, Instant snapshotTime, String current) {
        String partition = "aws";
        List<ManagedResource> instances = new ArrayList<>();
        for (ManagedResource i : managed.instances()) {
            if (i.id().equalsIgnoreCase(String.valueOf(current)) && i.hasRole(Tags.ROLE_CURRENT)) {
                Map<String, String> tags = new HashMap<>(i.tags());
                tags.put(Tags.ROLE, Tags.ROLE_RETIRED);
                i = new ManagedResource(i.kind(), i.id(), i.arn(), i.status(), i.created(), i.deletionProtection(), tags);
                partition = Arn.fromString(i.arn()).partition();
            }
            instances.add(i);
        }
        Map<String, String> newTags = new HashMap<>(Tags.asMap(Tags.managed(replicationId,
                sourceInstance, null)));
        newTags.put(Tags.ROLE, Tags.ROLE_CURRENT);
        newTags.put(Tags.SNAPSHOT_TIME, snapshotTime.toString());
        RdsArn instanceArn = RdsArn.parse("arn:" + partition + ":rds:" + region + ":" + account + ":db:" + instance);
        instances.add(new ManagedResource(Kind.RESTORED_INSTANCE, instance, instanceArn.toString(), "available", null,
                false, newTags));
        List<ManagedResource> snapshots = new ArrayList<>(managed.snapshots());
        snapshots.add(new ManagedResource(Kind.LOCAL_COPY, localCopy, instanceArn.sibling(RdsArn.SNAPSHOT, localCopy)
                .toString(), "available", null, false, Tags.asMap(Tags.managed(replicationId, sourceInstance,
                        Tags.KIND_LOCAL_COPY))));
        return InstanceRetention.plan(instances, snapshots, config.retentionKeep(), instance);
    }

    private static Instant createdAt(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new InvalidInputException("message.createdAt '" + value + "' is not an ISO-8601 instant");
        }
    }

    private static String blankToNull(Optional<String> value) {
        return value.map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static List<String> describe(List<DeletionPlan.Decision> decisions) {
        return decisions.stream().map(d -> d.resource().id() + ": " + d.reason()).toList();
    }
}
