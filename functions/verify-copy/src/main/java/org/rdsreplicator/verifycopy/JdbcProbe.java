package org.rdsreplicator.verifycopy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

/** The real database session: {@link DriverManager} with the engine's driver, no pool. */
@ApplicationScoped
public class JdbcProbe implements DatabaseProbe {

    static {
        // Quarkus registers the drivers for native images; load them here too so DriverManager finds them.
        for (String driver : new String[] { "org.postgresql.Driver", "org.mariadb.jdbc.Driver" }) {
            try {
                Class.forName(driver);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("JDBC driver " + driver + " is missing from the package");
            }
        }
    }

    @Override
    public Session open(Target target, String password, int timeoutSeconds) throws SQLException {
        DriverManager.setLoginTimeout(timeoutSeconds);
        Connection c = DriverManager.getConnection(target.url(),
                target.family().properties(target.user(), password, timeoutSeconds));
        return new JdbcSession(c);
    }

    private record JdbcSession(Connection connection) implements Session {
        @Override
        public long countRows(String sql, int cap, int timeoutSeconds) throws SQLException {
            connection.setReadOnly(true);
            try (Statement st = connection.createStatement()) {
                st.setQueryTimeout(timeoutSeconds);
                st.setMaxRows(cap);
                st.setFetchSize(Math.min(cap, 1000));
                long rows = 0;
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rows < cap && rs.next()) {
                        rows++;
                    }
                }
                return rows;
            }
        }

        @Override
        public void abort() {
            try {
                Executor now = Runnable::run;
                connection.abort(now);
            } catch (SQLException | RuntimeException ignored) {
                // the session is being dropped because the time box ran out: nothing more to do
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a finished verification session: nothing depends on it
            }
        }
    }
}
