package org.rdsreplicator.verifycopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.DatabaseUnreachableException;
import org.rdsreplicator.common.errors.ReplicationException;

/** The real drivers against sockets that misbehave: every wait is bounded, and the failures get their names. */
class JdbcProbeTest {
    static final String PASSWORD = "Pa55-word-not-to-leak";

    @Test
    void silentServer_shouldTimeOutInTheDriver_withinTheTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepts and never answers
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            t.setDaemon(true);
            t.start();
            for (EngineFamily family : EngineFamily.values()) {
                DatabaseProbe.Target target = new DatabaseProbe.Target(family, "127.0.0.1", silent.getLocalPort(),
                        family.database(null), "app");
                long t0 = System.nanoTime();
                SQLException e = catchThrowableOfType(SQLException.class,
                        () -> new JdbcProbe().open(target, PASSWORD, 2));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).as(family + " gave up after the driver's own timeout").isBetween(1_000L, 6_000L);
                ReplicationException named = VerifyCopyService.connectFailure(e, target, PASSWORD, "db-1");
                assertThat(named).as(family.name()).isInstanceOf(DatabaseUnreachableException.class);
                assertThat(named.getMessage()).doesNotContain(PASSWORD);
            }
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void closedPort_shouldBeUnreachable_atOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DatabaseProbe.Target target = new DatabaseProbe.Target(EngineFamily.POSTGRESQL, "127.0.0.1", port, "postgres",
                "app");
        long t0 = System.nanoTime();
        SQLException e = catchThrowableOfType(SQLException.class, () -> new JdbcProbe().open(target, PASSWORD, 5));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        assertThat(VerifyCopyService.connectFailure(e, target, PASSWORD, "db-1"))
                .isInstanceOf(DatabaseUnreachableException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:" + port + "/postgres")
                .hasMessageNotContaining(PASSWORD);
    }
}
