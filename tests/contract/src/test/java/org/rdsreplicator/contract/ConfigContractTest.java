package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every {@code REPLICATOR_*} variable template.yaml sets is read by a {@code @ConfigMapping}: a function's
 * own variables by a mapping of its module or of a shared module it depends on, the Globals ones by a
 * mapping somewhere. A renamed property or a variable nobody reads fails here instead of in AWS.
 */
class ConfigContractTest {
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.-]+)\"\\)");
    private static final Pattern PROPERTY = Pattern.compile("(?m)^\\s+(?:@\\w+(?:\\([^)]*\\))?\\s+)*[\\w<>, ]+ (\\w+)\\(\\);");

    @Test
    @SuppressWarnings("unchecked")
    void everyTemplateVariable_shouldMapToAConfigProperty() {
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) Project.template().get("Globals"))
                .get("Function");
        Set<String> everywhere = new TreeSet<>();
        try (Stream<Path> modules = Files.list(Project.root().resolve("functions"))) {
            modules.filter(Files::isDirectory).forEach(m -> everywhere.addAll(variables(m)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(everywhere).contains("REPLICATOR_WAITS_TABLE", "REPLICATOR_SECRET_ARN");
        for (String global : replicatorVariables(globals)) {
            assertThat(everywhere).as("Globals: " + global + " is read by some @ConfigMapping").contains(global);
        }
        int checked = 0;
        for (Map.Entry<String, Object> e : Project.resources().entrySet()) {
            Map<String, Object> res = (Map<String, Object>) e.getValue();
            if (!"AWS::Serverless::Function".equals(res.get("Type"))) {
                continue;
            }
            Path module = Project.root().resolve((String) Project.properties(res).get("CodeUri"));
            Set<String> readable = new TreeSet<>(variables(module));
            for (String shared : sharedModules(module)) {
                readable.addAll(variables(Project.root().resolve("functions").resolve(shared)));
            }
            for (String v : replicatorVariables(Project.properties(res))) {
                assertThat(readable).as(e.getKey() + ": " + v + " is read by a @ConfigMapping of "
                        + module.getFileName() + " or a shared module it depends on").contains(v);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(15);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> replicatorVariables(Map<String, Object> properties) {
        Map<String, Object> env = (Map<String, Object>) properties.get("Environment");
        Set<String> out = new TreeSet<>();
        if (env != null && env.get("Variables") instanceof Map<?, ?> vars) {
            vars.keySet().stream().map(String::valueOf).filter(k -> k.startsWith("REPLICATOR_")).forEach(out::add);
        }
        return out;
    }

    /** The environment variables the {@code @ConfigMapping} interfaces of a module read. */
    static Set<String> variables(Path module) {
        Set<String> out = new TreeSet<>();
        Path src = module.resolve("src/main/java");
        if (!Files.isDirectory(src)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Project.read(f);
                Matcher m = MAPPING.matcher(text);
                if (!m.find()) {
                    continue;
                }
                String prefix = m.group(1);
                Matcher p = PROPERTY.matcher(text.substring(m.end()));
                while (p.find()) {
                    out.add(env(prefix + "." + kebab(p.group(1))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The project's shared modules (functions/common*) a module's pom depends on. */
    static List<String> sharedModules(Path module) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<artifactId>(common[a-z-]*)</artifactId>").matcher(Project.read(module.resolve("pom.xml")));
        while (m.find()) {
            out.add(m.group(1));
        }
        out.add("common");
        return out;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static String env(String property) {
        return property.replaceAll("[.-]", "_").toUpperCase();
    }
}
