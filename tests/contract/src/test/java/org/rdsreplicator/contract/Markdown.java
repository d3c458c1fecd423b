package org.rdsreplicator.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Just enough Markdown for the documentation checks: headings and their GitHub anchors, sections,
 * pipe tables, links and backticked spans. Fenced code blocks are blank to all of it.
 */
final class Markdown {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6}) +(.*?)\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    final Path file;
    /** The file's lines with every line of a fenced code block replaced by an empty one. */
    private final List<String> lines;

    private Markdown(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    static Markdown of(Path file) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : Project.read(file).split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                out.add("");
            } else {
                out.add(fenced ? "" : line);
            }
        }
        return new Markdown(file, out);
    }

    /** README.md and every docs/*.md. */
    static List<Markdown> projectDocs() {
        List<Markdown> docs = new ArrayList<>();
        docs.add(of(Project.root().resolve("README.md")));
        try (Stream<Path> s = Files.list(Project.root().resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(p -> docs.add(of(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    String name() {
        return Project.root().relativize(file).toString();
    }

    String text() {
        return String.join("\n", lines);
    }

    /** The anchors GitHub gives the headings, duplicates numbered -1, -2, ... as GitHub does. */
    Set<String> anchors() {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : lines) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String a = anchor(m.group(2));
                int n = seen.merge(a, 1, Integer::sum);
                out.add(n == 1 ? a : a + "-" + (n - 1));
            }
        }
        return out;
    }

    /** GitHub's rule: lower case, punctuation other than hyphens and underscores removed, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{M}\\p{N}_\\- ]", "")
                .replace(' ', '-');
    }

    /** Link targets of {@code [text](target)}. */
    List<String> links() {
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(text());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The lines under the heading whose text is {@code heading}, up to the next heading of the same or a higher level. */
    Markdown section(String heading) {
        int start = -1;
        int level = 0;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = HEADING.matcher(lines.get(i));
            if (start < 0) {
                if (m.matches() && m.group(2).equals(heading)) {
                    start = i;
                    level = m.group(1).length();
                }
            } else if (m.matches() && m.group(1).length() <= level) {
                break;
            } else {
                out.add(lines.get(i));
            }
        }
        if (start < 0) {
            throw new AssertionError(name() + " has no heading '" + heading + "'");
        }
        return new Markdown(file, out);
    }

    /** Texts of the headings of this level ({@code ###} is 3). */
    List<String> headings(int level) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = HEADING.matcher(line);
            if (m.matches() && m.group(1).length() == level) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    /** The rows of the first pipe table, header and separator left out, each as its cells. */
    List<List<String>> table() {
        List<List<String>> rows = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("|")) {
                in = true;
                rows.add(cells(line));
            } else if (in) {
                break;
            }
        }
        if (rows.size() < 2) {
            throw new AssertionError(name() + ": no table in this section");
        }
        return rows.subList(2, rows.size());
    }

    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        for (String c : row.strip().replaceAll("^\\||\\|$", "").split("(?<!\\\\)\\|", -1)) {
            cells.add(c.strip());
        }
        return cells;
    }

    /** The contents of every {@code `code span`} in a piece of text. */
    static List<String> codeSpans(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE_SPAN.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
