package org.rdsreplicator.verifycopy;

import java.sql.SQLException;

/**
 * Opens a database session and runs one query: the real JDBC call in the product ({@link JdbcProbe}), a fake in
 * the unit tests. Split in two so a failure is known to be a connect/login failure or a query failure.
 */
public interface DatabaseProbe {

    /** Where to connect; no credential in it. */
    record Target(EngineFamily family, String host, int port, String database, String user) {
        public String url() {
            return family.url(host, port, database);
        }
    }

    /** An open session. */
    interface Session extends AutoCloseable {
        /** Runs {@code sql} and counts the rows it returns, stopping at {@code cap}. */
        long countRows(String sql, int cap, int timeoutSeconds) throws SQLException;

        /** Drops the session at once (the time box ran out); never throws. */
        void abort();

        @Override
        void close();
    }

    /** Connects and logs in; every wait bounded by {@code timeoutSeconds}. */
    Session open(Target target, String password, int timeoutSeconds) throws SQLException;
}
