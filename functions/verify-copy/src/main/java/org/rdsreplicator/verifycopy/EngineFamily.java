package org.rdsreplicator.verifycopy;

import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The engines verify-copy can log in to, with their standard JDBC drivers. Anything else (Oracle, SQL Server,
 * Db2) is skipped with a log line.
 */
public enum EngineFamily {
    /** {@code postgres}, {@code aurora-postgresql}: PostgreSQL JDBC driver, TLS required ({@code sslmode=require}). */
    POSTGRESQL("postgresql", "postgres"),
    /**
     * {@code mysql}, {@code mariadb}, {@code aurora-mysql}, {@code aurora}: MariaDB Connector/J, which speaks the
     * MySQL protocol, TLS required ({@code sslMode=trust}).
     */
    MYSQL("mariadb", null);

    private final String scheme;
    private final String defaultDatabase;

    EngineFamily(String scheme, String defaultDatabase) {
        this.scheme = scheme;
        this.defaultDatabase = defaultDatabase;
    }

    /** The family of an RDS engine name, or empty when verify-copy has no driver for it. */
    public static Optional<EngineFamily> of(String engine) {
        if (engine == null) {
            return Optional.empty();
        }
        return switch (engine.toLowerCase(Locale.ROOT)) {
            case "postgres", "aurora-postgresql" -> Optional.of(POSTGRESQL);
            case "mysql", "mariadb", "aurora-mysql", "aurora" -> Optional.of(MYSQL);
            default -> Optional.empty();
        };
    }

    /** The database to log in to: the secret's {@code dbname} when set, else the engine's default (may be null). */
    public String database(String dbname) {
        return dbname == null || dbname.isBlank() ? defaultDatabase : dbname;
    }

    /** The JDBC URL: host, port and database only. Credentials never go into it (they go into {@link #properties}). */
    public String url(String host, int port, String database) {
        return "jdbc:" + scheme + "://" + host + ":" + port + "/" + (database == null ? "" : database);
    }

    /** Driver properties: credentials, TLS, and every timeout the driver has, so nothing waits unbounded. */
    public Properties properties(String user, String password, int timeoutSeconds) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        String seconds = Integer.toString(timeoutSeconds);
        String millis = Integer.toString(timeoutSeconds * 1000);
        if (this == POSTGRESQL) {
            p.setProperty("sslmode", "require");
            p.setProperty("connectTimeout", seconds);
            p.setProperty("loginTimeout", seconds);
            p.setProperty("socketTimeout", seconds);
            p.setProperty("ApplicationName", "rds-replicator-verify");
        } else {
            p.setProperty("sslMode", "trust");
            p.setProperty("connectTimeout", millis);
            p.setProperty("socketTimeout", millis);
        }
        return p;
    }
}
