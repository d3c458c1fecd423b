package org.rdsreplicator.verifycopy;

import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.DatabaseLoginFailedException;
import org.rdsreplicator.common.errors.DatabaseUnreachableException;
import org.rdsreplicator.common.errors.EndpointNotResolvableException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.errors.ReplicationException;
import org.rdsreplicator.common.errors.StaleCopyException;
import org.rdsreplicator.common.errors.ValidationQueryFailedException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.secret.ClusterSwitch;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.EndpointSwitch;
import org.rdsreplicator.common.secret.SecretStore;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Proves that the secret will work on the instance before it is pointed there: a real session with the secret's
 * username and password at the instance's endpoint (TLS required), then the validation query and its row count.
 * <ol>
 * <li>The instance must exist, be managed and {@code available}; the secret's username must be its master user
 * (the same checks as the switch).</li>
 * <li>An engine without a driver here (Oracle, SQL Server, Db2) is skipped with a log line; so is everything when
 * verification is off ({@code REPLICATOR_VERIFY_ENABLED=false}).</li>
 * <li>Connect and log in, then run the query; the whole attempt is time-boxed ({@code timeoutSeconds}, and never
 * beyond the Lambda's remaining time less a margin): a hanging connection ends as
 * {@link DatabaseUnreachableException}, not as a Lambda timeout.</li>
 * <li>A terminal failure tags the instance {@code role=cleanup} (not in a rollback: that instance was in service
 * before) and throws the named error; the failure path then deletes the instance and alerts. The secret is
 * untouched. Only a name that does not resolve yet ({@link EndpointNotResolvableException}) is retried.</li>
 * </ol>
 * The password goes to the driver only: it is in no log line, no result and no exception message (driver messages
 * are scrubbed of it and driver exceptions are not chained); logged URLs carry host, port and database only.
 * <p>
 * An Aurora cluster ({@code dbClusterIdentifier}) is verified the same way through its writer endpoint (the host the
 * secret will name), after the same checks on the cluster (managed, available, master user); a failure tags the
 * cluster {@code role=cleanup}.
 */
@ApplicationScoped
public class VerifyCopyService {
    private static final Logger LOG = Logger.getLogger(VerifyCopyService.class);
    /** The trivial query: a login and a live session answer it with one row. */
    static final String DEFAULT_QUERY = "SELECT 1";
    /** Rows are counted up to this (or the minimum, if larger): enough to report, cheap to read. */
    static final int ROW_CAP = 10_000;
    /** Left to the Lambda after the time box, to report the failure before its own timeout. */
    static final long MARGIN_MS = 5_000;

    private final RdsClient rds;
    private final EndpointSwitch endpoints;
    private final SecretStore secrets;
    private final VerifyCopyConfig config;
    private final DatabaseProbe probe;
    private final ClusterSwitch clusters;

    /** What is verified: an instance, or a cluster through its writer endpoint. */
    private record Subject(String id, String arn, String engine, String host, int port, DatabaseSecret secret) {
    }

    /** For instances only (a cluster request then fails). */
    public VerifyCopyService(RdsClient rds, EndpointSwitch endpoints, SecretStore secrets, VerifyCopyConfig config,
            DatabaseProbe probe) {
        this(rds, endpoints, secrets, config, probe, null);
    }

    @Inject
    public VerifyCopyService(RdsClient rds, EndpointSwitch endpoints, SecretStore secrets, VerifyCopyConfig config,
            DatabaseProbe probe, ClusterSwitch clusters) {
        this.rds = rds;
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.config = config;
        this.probe = probe;
        this.clusters = clusters;
    }

    /**
     * The instance, or the cluster, after the checks a switch makes too (managed, available, master user), with the
     * database secret that names its source (the one secret, or the source database's own).
     */
    private Subject subject(VerifyCopyRequest req) {
        if (req.dbClusterIdentifier() == null) {
            DBInstance instance = endpoints.managedInstance(req.dbInstanceIdentifier());
            EndpointSwitch.requireAvailable(instance);
            DatabaseSecret secret = endpoints.withSecretOf(instance, secrets::read);
            endpoints.requireMatchingCredentials(instance, secret);
            return new Subject(instance.dbInstanceIdentifier(), instance.dbInstanceArn(), instance.engine(),
                    instance.endpoint().address(), instance.endpoint().port(), secret);
        }
        if (clusters == null) {
            throw new IllegalStateException("this service was built for instances only");
        }
        DBCluster cluster = clusters.managedCluster(req.dbClusterIdentifier());
        ClusterSwitch.requireAvailable(cluster);
        DatabaseSecret secret = clusters.withSecretOf(cluster, secrets::read);
        clusters.requireMatchingCredentials(cluster, secret);
        return new Subject(cluster.dbClusterIdentifier(), cluster.dbClusterArn(), cluster.engine(), cluster.endpoint(),
                cluster.port(), secret);
    }

    public VerifyCopyResult verify(VerifyCopyRequest req, long lambdaRemainingMs) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId and dbInstanceIdentifier is required");
        }
        Identifiers.requireReplicationId(req.replicationId());
        if (req.dbClusterIdentifier() != null && req.dbInstanceIdentifier() != null) {
            throw new InvalidInputException("give dbInstanceIdentifier or dbClusterIdentifier, not both");
        }
        String instanceId = req.dbClusterIdentifier() != null
                ? Identifiers.requireValid("dbClusterIdentifier", req.dbClusterIdentifier())
                : Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        if (!config.enabled()) {
            LOG.infof("verification of %s skipped: it is turned off (VerifyCopy=false)", instanceId);
            return VerifyCopyResult.skipped(instanceId, null, "verification is turned off (VerifyCopy=false)");
        }
        int minRows = config.minRows();
        if (minRows < 1) {
            throw new ConfigurationException("REPLICATOR_VERIFY_MIN_ROWS must be at least 1, not " + minRows);
        }
        int timeoutSeconds = config.timeoutSeconds();
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new ConfigurationException("REPLICATOR_VERIFY_TIMEOUT_SECONDS must be 1-300, not " + timeoutSeconds);
        }
        // Never beyond what the Lambda has left: the failure must be reported, not cut off.
        long boxMs = Math.max(1_000, Math.min(timeoutSeconds * 1000L, lambdaRemainingMs - MARGIN_MS));
        int driverTimeout = (int) Math.max(1, boxMs / 1000);

        Subject instance = subject(req);
        DatabaseSecret secret = instance.secret();

        String engine = instance.engine();
        var family = EngineFamily.of(engine);
        if (family.isEmpty()) {
            LOG.warnf("verification of %s skipped: engine %s is not supported (PostgreSQL, MySQL and MariaDB are, "
                    + "Aurora included); the secret moves without a login check", instanceId, engine);
            return VerifyCopyResult.skipped(instanceId, engine, "engine " + engine + " is not supported");
        }
        var dbname = secret.fields().get("dbname");
        DatabaseProbe.Target target = new DatabaseProbe.Target(family.get(), instance.host(),
                instance.port(), family.get().database(dbname == null ? null : dbname.asText()),
                secret.username());
        boolean custom = config.query().filter(q -> !q.isBlank()).isPresent();
        String sql = custom ? config.query().get() : DEFAULT_QUERY;
        int required = custom ? minRows : 1;
        LOG.infof("verifying %s: %s as user '%s', TLS required, %s query (at least %d row(s)), time box %d s",
                instanceId, target.url(), target.user(), custom ? "the stack's validation" : "the default", required,
                boxMs / 1000);

        long started = System.nanoTime();
        long rows;
        try {
            rows = timeBoxed(target, secret.password(), sql, Math.max(required, ROW_CAP), driverTimeout, boxMs,
                    instanceId);
        } catch (ReplicationException e) {
            LOG.errorf("verification of %s failed: %s: %s", instanceId, e.getClass().getSimpleName(), e.getMessage());
            if (!(e instanceof EndpointNotResolvableException)) {
                markForCleanup(instance, req);
            }
            throw e;
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        if (rows < required) {
            StaleCopyException stale = new StaleCopyException("the validation query on " + instanceId + " returned "
                    + rows + " row(s), fewer than the " + required + " required: the copy is stale or truncated and "
                    + "is not promoted");
            LOG.errorf("verification of %s failed: %s", instanceId, stale.getMessage());
            markForCleanup(instance, req);
            throw stale;
        }
        LOG.infof("verified %s: logged in as '%s' over TLS, %s query returned %d row(s) (at least %d required) in %d ms",
                instanceId, target.user(), custom ? "validation" : "default", rows, required, elapsedMs);
        return new VerifyCopyResult(instanceId, engine, VerifyCopyResult.VERIFIED, custom ? "custom" : "default", rows,
                required, true, elapsedMs, null);
    }

    /** Connect, log in and query on a worker thread; whatever happens, the caller gets an answer within boxMs. */
    private long timeBoxed(DatabaseProbe.Target target, String password, String sql, int cap, int driverTimeout,
            long boxMs, String instanceId) {
        AtomicReference<DatabaseProbe.Session> open = new AtomicReference<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "verify-copy");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Long> run = worker.submit(() -> {
                DatabaseProbe.Session session;
                try {
                    session = probe.open(target, password, driverTimeout);
                } catch (SQLException e) {
                    throw connectFailure(e, target, password, instanceId);
                }
                open.set(session);
                try (session) {
                    return session.countRows(sql, cap, driverTimeout);
                } catch (SQLException e) {
                    throw queryFailure(e, password, instanceId);
                }
            });
            try {
                return run.get(boxMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                DatabaseProbe.Session s = open.get();
                if (s != null) {
                    s.abort();
                }
                throw new DatabaseUnreachableException("no answer from " + instanceId + " (" + target.url()
                        + ") within the time box of " + boxMs / 1000 + " s: check that the function's subnets and "
                        + "security group reach the instance's port");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ReplicationException named) {
                    throw named;
                }
                // Not a driver error (e.g. a bug in a driver): reported by class only, its message may quote anything.
                throw new DatabaseUnreachableException("verifying " + instanceId + " failed unexpectedly: "
                        + e.getCause().getClass().getName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatabaseUnreachableException("verifying " + instanceId + " was interrupted");
            }
        } finally {
            worker.shutdownNow();
        }
    }

    static ReplicationException connectFailure(SQLException e, DatabaseProbe.Target target, String password,
            String instanceId) {
        String where = instanceId + " (" + target.url() + ")";
        if (causedBy(e, UnknownHostException.class)) {
            return new EndpointNotResolvableException("the endpoint " + target.host() + " of " + instanceId
                    + " does not resolve (yet)");
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // 28xxx: invalid authorization (PostgreSQL 28P01/28000, MySQL 1045); 3D000 / 1049: no such database.
        if (state.startsWith("28") || state.equals("3D000") || e.getErrorCode() == 1045 || e.getErrorCode() == 1049) {
            return new DatabaseLoginFailedException("cannot log in to " + where + " as '" + target.user()
                    + "' with the secret's password: " + describe(e, password));
        }
        return new DatabaseUnreachableException("cannot open a TLS session with " + where + ": " + describe(e, password));
    }

    static ReplicationException queryFailure(SQLException e, String password, String instanceId) {
        return new ValidationQueryFailedException("the validation query failed on " + instanceId + ": "
                + describe(e, password));
    }

    /** SQLState, vendor code and the driver's message with the password scrubbed out, cut to 300 characters. */
    static String describe(SQLException e, String password) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (password != null && !password.isEmpty()) {
            message = message.replace(password, "****");
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return "SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ": " + message;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c) || c.getMessage() != null && c.getMessage().contains(type.getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    /** The instance failed verification: the next prune (or the failure path now) deletes it. Not in a rollback. */
    private void markForCleanup(Subject instance, VerifyCopyRequest req) {
        if (req.isRollback()) {
            LOG.warnf("rollback target %s failed verification: it keeps its tags, the secret stays where it is",
                    instance.id());
            return;
        }
        try {
            rds.addTagsToResource(r -> r.resourceName(instance.arn())
                    .tags(Tags.tag(Tags.ROLE, Tags.ROLE_CLEANUP)));
            LOG.infof("tagged %s %s=%s", instance.id(), Tags.ROLE, Tags.ROLE_CLEANUP);
        } catch (RuntimeException tagging) {
            LOG.warnf("could not tag %s %s=%s (%s); the failure path still deletes it", instance.id(),
                    Tags.ROLE, Tags.ROLE_CLEANUP, tagging.getClass().getSimpleName());
        }
    }
}
