package org.rdsreplicator.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the sample events in the project's {@code events/} folder: the files users pass to {@code sam local invoke -e}. */
public final class EventFiles {
    private EventFiles() {
    }

    public static Path root() {
        String root = System.getProperty("project.root");
        Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("template.yaml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("project root (with template.yaml) not found");
        }
        return p;
    }

    public static String read(String name) {
        try {
            return Files.readString(root().resolve("events").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
