package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.ReplicationException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * README.md and docs/*.md cannot drift from the repository: links, anchors, paths and class names
 * resolve, and the tables that restate code (errors, parameters, states, functions, alarms) are
 * checked against it, missing and extra rows alike.
 */
class DocsContractTest {
    private static final String ERRORS_PACKAGE = "org.rdsreplicator.common.errors";
    private static final Pattern FQN = Pattern.compile("org\\.rdsreplicator(?:\\.\\w+)*");
    /** States gen_asl.py adds around every step; the tables describe the steps, not these. */
    private static final Pattern GENERATED_STATE = Pattern.compile(".* failed|.*: wait timed out|.*: wait again|.*: waited too long");

    @Test
    void everyRelativeLink_shouldNameAnExistingFile_andEveryAnchorAHeadingThere() {
        List<String> broken = new ArrayList<>();
        for (Markdown doc : Markdown.projectDocs()) {
            for (String link : doc.links()) {
                if (link.matches("[a-z]+:.*")) {
                    continue;
                }
                String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
                String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
                Path target = file.isEmpty() ? doc.file : doc.file.getParent().resolve(file).normalize();
                if (!Files.exists(target)) {
                    broken.add(doc.name() + ": " + link + " (no such file)");
                } else if (!anchor.isEmpty() && !Markdown.of(target).anchors().contains(anchor)) {
                    broken.add(doc.name() + ": " + link + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyBacktickedRepositoryPath_shouldExist() {
        Set<String> top = new TreeSet<>();
        Set<String> paths = repositoryPaths(top);
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Markdown doc : Markdown.projectDocs()) {
            for (String span : Markdown.codeSpans(doc.text())) {
                for (String word : span.split("\\s+")) {
                    String w = word.replaceFirst("^[a-z]+://", "").replaceAll("[,;:)]+$", "").replaceAll("/$", "");
                    String path = null;
                    if (w.contains("/") && top.contains(w.substring(0, w.indexOf('/')))) {
                        path = w;
                    } else if (w.matches("e2e(\\.\\w+)+")) {
                        path = w.replace('.', '/');
                    }
                    if (path == null || ("/" + path + "/").contains("/target/")) {
                        continue; // not a repository path, or a build output
                    }
                    checked.add(path);
                    Pattern glob = Pattern.compile(Arrays.stream(path.split("/"))
                            .map(seg -> Pattern.quote(seg).replaceAll("<[^>]*>", "\\\\E[^/]+\\\\Q").replace("*", "\\E[^/]*\\Q"))
                            .reduce((a, b) -> a + "/" + b).orElseThrow()
                            + (w.startsWith("e2e.") ? "(\\.py)?" : ""));
                    if (paths.stream().noneMatch(p -> glob.matcher(p).matches())) {
                        missing.add(doc.name() + ": " + word);
                    }
                }
            }
        }
        assertThat(checked).as("paths found in the docs").contains("functions/common", "tools/gen_asl.py",
                "events/rollback.json", "e2e/localaws/patches.py");
        assertThat(missing).isEmpty();
    }

    @Test
    void everyBacktickedProjectClassName_shouldNameAPackageAClassOrAMemberOfOne() {
        Set<String> packages = new TreeSet<>();
        Set<String> classes = new TreeSet<>();
        for (String p : repositoryPaths(new TreeSet<>())) {
            Matcher m = Pattern.compile(".*/src/(?:main|test)/java/(org/rdsreplicator/.*?)(\\.java)?").matcher(p);
            if (m.matches()) {
                (m.group(2) != null ? classes : packages).add(m.group(1).replace('/', '.'));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Markdown doc : Markdown.projectDocs()) {
            for (String span : Markdown.codeSpans(doc.text())) {
                Matcher m = FQN.matcher(span);
                while (m.find()) {
                    String name = m.group();
                    String owner = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
                    if (!packages.contains(name) && !classes.contains(name) && !classes.contains(owner)) {
                        unknown.add(doc.name() + ": " + name);
                    }
                }
            }
        }
        assertThat(classes).as("classes found").contains(ERRORS_PACKAGE + ".ReplicationException");
        assertThat(unknown).isEmpty();
    }

    @Test
    void errorTable_shouldHaveOneRowPerReplicationException_andNoOther() {
        List<String> rows = new ArrayList<>();
        for (List<String> row : Markdown.of(doc("docs/architecture.md")).section("Errors").table()) {
            rows.addAll(Markdown.codeSpans(row.get(0)));
        }
        assertThat(rows).as("docs/architecture.md, ## Errors: first column")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(namedErrors());
    }

    @Test
    void runbookNamedErrors_shouldHaveOneHeadingPerReplicationException_andNoOther() {
        List<String> headings = new ArrayList<>();
        for (String h : Markdown.of(doc("docs/runbook.md")).section("Named errors").headings(3)) {
            headings.addAll(Markdown.codeSpans(h));
        }
        assertThat(headings).as("docs/runbook.md, ## Named errors: ### headings")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(namedErrors());
    }

    @Test
    void parameterTable_shouldNameEveryTemplateParameter_andNoOther() {
        List<String> named = new ArrayList<>();
        for (List<String> row : Markdown.of(doc("README.md")).section("Parameters").table()) {
            named.addAll(Markdown.codeSpans(row.get(0)));
        }
        @SuppressWarnings("unchecked")
        Set<String> parameters = ((Map<String, Object>) Project.template().get("Parameters")).keySet();
        assertThat(named).as("README.md, ### Parameters: first column")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(parameters);
    }

    /**
     * The state tables of docs/architecture.md: every state named in the first column exists in that
     * state machine, every state but the generated ones has a row, and the function column names the
     * function a Task state invokes.
     */
    @Test
    void stateTables_shouldNameEveryStateOfTheirStateMachine_andTheFunctionEachTaskInvokes() {
        Markdown steps = Markdown.of(doc("docs/architecture.md")).section("Steps");
        for (String machine : List.of("source-replication", "destination-restore")) {
            String heading = steps.headings(3).stream().filter(h -> h.startsWith(machine + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ### " + machine + " under ## Steps"));
            Map<String, JsonNode> states = states(machine);
            List<String> named = new ArrayList<>();
            List<String> wrongFunction = new ArrayList<>();
            for (List<String> row : steps.section(heading).table()) {
                String function = row.get(1).split("\\s+")[0];
                Set<String> invoked = new TreeSet<>();
                for (String state : Markdown.codeSpans(row.get(0))) {
                    named.add(state);
                    JsonNode s = states.get(state);
                    if (s != null && "Task".equals(s.path("Type").asText())) {
                        invoked.add(invokedFunction(s));
                    }
                }
                if (!invoked.equals(function.equals("-") ? Set.of() : Set.of(function))) {
                    wrongFunction.add(row.get(0) + ": table says " + function + ", the ASL invokes " + invoked);
                }
            }
            Set<String> expected = new TreeSet<>(states.keySet());
            expected.removeIf(n -> GENERATED_STATE.matcher(n).matches()
                    && Set.of("Pass", "Choice").contains(states.get(n).path("Type").asText()));
            assertThat(named).as("docs/architecture.md, ### %s: states", heading)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(wrongFunction).as("docs/architecture.md, ### %s: function column", heading).isEmpty();
        }
    }

    @Test
    void runbookFailuresByStep_shouldNameOnlyStatesThatExist() {
        Map<String, JsonNode> source = states("source-replication");
        Map<String, JsonNode> destination = states("destination-restore");
        List<String> unknown = new ArrayList<>();
        for (String h : Markdown.of(doc("docs/runbook.md")).section("Failures by step").headings(3)) {
            for (String state : Markdown.codeSpans(h)) {
                boolean known = h.startsWith("Source:") ? source.containsKey(state)
                        : h.startsWith("Destination:") ? destination.containsKey(state)
                        : source.containsKey(state) || destination.containsKey(state)
                                || state.endsWith("Exception") && namedErrors().contains(state);
                if (!known) {
                    unknown.add(h);
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    /** The "Lambda functions" and "both roles" rows list every function module on the side whose condition deploys it. */
    @Test
    void componentsTable_shouldListEveryFunctionOnItsSide() {
        Map<String, List<String>> rows = new TreeMap<>();
        for (List<String> row : Markdown.of(doc("docs/architecture.md")).section("Accounts and components").table()) {
            rows.put(row.get(0), row);
        }
        Map<String, Set<String>> documented = Map.of(
                "IsSource", listed(rows.get("Lambda functions").get(1)),
                "IsDestination", listed(rows.get("Lambda functions").get(2)),
                "", listed(rows.get("both roles").get(1)));
        Map<String, Set<String>> deployed = Map.of("IsSource", new TreeSet<>(), "IsDestination", new TreeSet<>(), "", new TreeSet<>());
        Set<String> modules = new TreeSet<>();
        for (Object r : Project.resources().values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> res = (Map<String, Object>) r;
            if ("AWS::Serverless::Function".equals(res.get("Type"))) {
                String module = Path.of((String) Project.properties(res).get("CodeUri")).getFileName().toString();
                modules.add(module);
                deployed.get(String.valueOf(res.getOrDefault("Condition", ""))).add(module);
            }
        }
        assertThat(documented.get("IsSource")).as("source functions").isEqualTo(deployed.get("IsSource"));
        assertThat(documented.get("IsDestination")).as("destination functions").isEqualTo(deployed.get("IsDestination"));
        Set<String> both = new TreeSet<>(documented.get(""));
        both.retainAll(modules);
        assertThat(both).as("functions of both roles").isEqualTo(deployed.get(""));
    }

    @Test
    void runbookAlarms_shouldHaveAHeadingNamingEveryAlarm_andNoOther() {
        List<String> named = new ArrayList<>();
        for (String h : Markdown.of(doc("docs/runbook.md")).section("Alarms").headings(3)) {
            named.addAll(Markdown.codeSpans(h));
        }
        Set<String> alarms = new TreeSet<>();
        Project.resources().forEach((id, r) -> {
            if ("AWS::CloudWatch::Alarm".equals(((Map<?, ?>) r).get("Type"))) {
                alarms.add(id);
            }
        });
        assertThat(named).as("docs/runbook.md, ## Alarms").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(alarms);
    }

    /** Simple names of the classes in common's errors package that extend ReplicationException. */
    private static Set<String> namedErrors() {
        Path dir = doc("functions/common/src/main/java/" + ERRORS_PACKAGE.replace('.', '/'));
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                String simple = f.getFileName().toString().replaceFirst("\\.java$", "");
                Class<?> type = Class.forName(ERRORS_PACKAGE + "." + simple);
                if (ReplicationException.class.isAssignableFrom(type) && type != ReplicationException.class
                        && !Modifier.isAbstract(type.getModifiers())) {
                    names.add(simple);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        assertThat(names).as("named errors found").hasSizeGreaterThan(10);
        return names;
    }

    private static Map<String, JsonNode> states(String machine) {
        Map<String, JsonNode> out = new TreeMap<>();
        Project.json(doc("statemachines/" + machine + ".asl.json")).path("States").fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** {@code ${CreateSnapshotFunctionArn}} is create-snapshot; "-" for a state that invokes no function. */
    private static String invokedFunction(JsonNode state) {
        String arn = state.path("Parameters").path("FunctionName").asText("");
        Matcher m = Pattern.compile("\\$\\{(\\w+)FunctionArn}").matcher(arn);
        return m.find() ? m.group(1).replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) : "-";
    }

    /** "a, b (on demand), c and d" is {a, b, c, d}. */
    private static Set<String> listed(String cell) {
        Set<String> out = new TreeSet<>();
        for (String item : cell.replaceAll("\\([^)]*\\)", "").split(",| and ")) {
            out.add(item.strip());
        }
        return out;
    }

    private static Path doc(String relative) {
        return Project.root().resolve(relative);
    }

    /** Every file and directory of the repository (relative, with /), build outputs and dependencies left out; top-level names into {@code top}. */
    private static Set<String> repositoryPaths(Set<String> top) {
        Path root = Project.root();
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.isEmpty())
                    .filter(p -> !("/" + p + "/").matches(".*/(\\.git|node_modules|target|__pycache__)/.*"))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.stream().filter(p -> !p.contains("/")).forEach(top::add);
        return out;
    }
}
