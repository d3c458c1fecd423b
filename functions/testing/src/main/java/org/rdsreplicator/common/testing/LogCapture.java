package org.rdsreplicator.common.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Captures every log record of the JVM (the project's own at every level, including debug) (JBoss Logging and java.util.logging both end in the root
 * java.util.logging logger) while open: formatted message, parameters and the full stack trace of any
 * thrown exception, so a test can assert a value never reached a log.
 *
 * <pre>
 * try (LogCapture logs = LogCapture.start()) { ...; assertThat(logs.text()).doesNotContain(password); }
 * </pre>
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> entries = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    /** The project's loggers are opened to every level while capturing: a debug line must not leak either. */
    private final Logger project = Logger.getLogger("org.rdsreplicator");
    private final Level projectLevel;

    private LogCapture() {
        setLevel(Level.ALL);
        projectLevel = project.getLevel();
        project.setLevel(Level.ALL);
        root.addHandler(this);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    @Override
    public void publish(LogRecord r) {
        StringBuilder b = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + ": ");
        b.append(r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : new SimpleFormatter().formatMessage(r));
        if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
                b.append(" | ").append(p);
            }
        }
        if (r.getThrown() != null) {
            StringWriter w = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(w));
            b.append('\n').append(w);
        }
        entries.add(b.toString());
    }

    /** Each captured record, formatted. */
    public List<String> entries() {
        return List.copyOf(entries);
    }

    /** Everything captured, one record per line. */
    public String text() {
        return String.join("\n", entries);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        project.setLevel(projectLevel);
    }
}
