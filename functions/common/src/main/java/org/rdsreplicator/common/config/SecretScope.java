package org.rdsreplicator.common.config;

import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;

/**
 * Which database secret a destination step works on. With {@code REPLICATOR_SECRET_MODE=single} (the default) it is
 * the stack's one secret ({@code REPLICATOR_SECRET_ARN}), whatever the source. With {@code per-database} every source
 * database has its own secret, named {@code rds-replicator/<source account>/<source database>}, created by
 * restore-instance on the first restore of that database: a step sets the source it works for with
 * {@link #forSource} (read from its request or from the {@code rds-replicator:source-instance} tag of the resource it
 * works on), or {@link #forCluster} for an Aurora cluster (its {@code rds-replicator:source-cluster} tag), and the
 * secret store and the promotion lock resolve the secret from it. A cluster's secret is
 * {@code rds-replicator/<source account>/cluster/<source cluster>}: RDS names instances and clusters apart, so an
 * instance and a cluster of the same name keep two secrets.
 */
public final class SecretScope {
    public static final String SINGLE = "single";
    public static final String PER_DATABASE = "per-database";
    /** The name of a per-database secret: this prefix, the source account id, '/', the source database. */
    public static final String NAME_PREFIX = "rds-replicator/";
    /** Before an Aurora source cluster's identifier in its secret's name. */
    public static final String CLUSTER_PREFIX = "cluster/";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final ThreadLocal<String> SOURCE = new ThreadLocal<>();

    private SecretScope() {
    }

    /** Runs {@code body} with {@code sourceDatabase} as the database whose secret the step works on. */
    public static <T> T forSource(String sourceDatabase, Supplier<T> body) {
        String before = SOURCE.get();
        SOURCE.set(sourceDatabase);
        try {
            return body.get();
        } finally {
            if (before == null) {
                SOURCE.remove();
            } else {
                SOURCE.set(before);
            }
        }
    }

    /** Runs {@code body} with the Aurora cluster {@code sourceCluster} as the database whose secret the step works on. */
    public static <T> T forCluster(String sourceCluster, Supplier<T> body) {
        return forSource(CLUSTER_PREFIX + sourceCluster, body);
    }

    /** True when every source database has its own secret. */
    public static boolean perDatabase(SecretConfig config) {
        String mode = config.secretMode();
        if (PER_DATABASE.equals(mode)) {
            return true;
        }
        if (mode == null || SINGLE.equals(mode)) {
            return false;
        }
        throw new ConfigurationException("REPLICATOR_SECRET_MODE is '" + mode + "', expected " + SINGLE + " or "
                + PER_DATABASE);
    }

    /** True when the stack has a destination half: a configured secret, or secrets per database. */
    public static boolean configured(SecretConfig config) {
        return perDatabase(config) || config.secretArn().filter(v -> !v.isBlank()).isPresent();
    }

    /**
     * The secret id (ARN or name; Secrets Manager takes either) the step works on.
     *
     * @throws ConfigurationException when no secret is configured, or per-database secrets are configured and the step
     *                                set no source (a bug: nothing is read or written then)
     */
    public static String secretId(SecretConfig config) {
        if (!perDatabase(config)) {
            return config.secretArn().filter(v -> !v.isBlank())
                    .orElseThrow(() -> new ConfigurationException("REPLICATOR_SECRET_ARN is not set"));
        }
        String source = SOURCE.get();
        if (source == null) {
            throw new ConfigurationException("per-database secrets: the step did not say which source database it "
                    + "works for");
        }
        String account = config.sourceAccountId().filter(a -> ACCOUNT.matcher(a).matches())
                .orElseThrow(() -> new ConfigurationException("per-database secrets need REPLICATOR_SOURCE_ACCOUNT_ID "
                        + "(twelve digits)"));
        return nameFor(account, source);
    }

    /**
     * {@code rds-replicator/<sourceAccount>/<sourceDatabase>}, where {@code sourceDatabase} is an instance's identifier
     * or {@code cluster/} and a cluster's.
     */
    public static String nameFor(String sourceAccount, String sourceDatabase) {
        if (sourceDatabase == null || !sourceDatabase.matches("(" + CLUSTER_PREFIX + ")?[a-zA-Z][a-zA-Z0-9-]{0,62}")) {
            throw new InvalidInputException("source database '" + sourceDatabase + "' is not an RDS identifier");
        }
        return NAME_PREFIX + sourceAccount + "/" + sourceDatabase;
    }
}
