package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every function in template.yaml points at a module that exists and has the handler it names. */
class FunctionContractTest {

    @Test
    void everyTemplateFunction_shouldPointAtAModuleWithThatHandler() throws IOException {
        int functions = 0;
        for (Map.Entry<String, Object> e : Project.resources().entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> res = (Map<String, Object>) e.getValue();
            if (!"AWS::Serverless::Function".equals(res.get("Type"))) {
                continue;
            }
            functions++;
            String codeUri = (String) Project.properties(res).get("CodeUri");
            assertThat(codeUri).as(e.getKey()).matches("functions/[a-z-]+");
            String module = codeUri.split("/")[1];
            Path dir = Project.root().resolve("functions").resolve(module);
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) res.get("Metadata");
            assertThat(metadata).as(e.getKey() + " is built by its Makefile").containsEntry("BuildMethod", "makefile");
            assertThat(Project.read(dir.resolve("Makefile"))).as(module + "/Makefile").contains("include ../lambda.mk");
            assertThat(dir.resolve("pom.xml")).as(e.getKey() + " module").exists();
            assertThat(Project.read(Project.root().resolve("pom.xml"))).as("root pom lists " + module)
                    .contains("<module>functions/" + module + "</module>");
            String props = Project.read(dir.resolve("src/main/resources/application.properties"));
            assertThat(props).as(module).contains("quarkus.lambda.handler=" + module);
            try (Stream<Path> src = Files.walk(dir.resolve("src/main/java"))) {
                assertThat(src.filter(p -> p.toString().endsWith("Handler.java")).map(Project::read)
                        .filter(s -> s.contains("@Named(\"" + module + "\")") && s.contains("implements RequestHandler<")))
                        .as(module + " has a @Named(\"" + module + "\") RequestHandler").hasSize(1);
            }
            assertThat(e.getKey()).as("logical id follows the module name")
                    .isEqualTo(pascal(module) + "Function");
        }
        assertThat(functions).isGreaterThanOrEqualTo(6);
    }

    static String pascal(String kebab) {
        StringBuilder b = new StringBuilder();
        for (String part : kebab.split("-")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    /** Value types used inside a function only: never read from or written to JSON. */
    private static final java.util.Set<String> INTERNAL_VALUES = java.util.Set.of("RdsArn", "ResourceState",
            "DatabaseSecret", "ManagedResource", "DeletionPlan", "Decision");

    @Test
    void everyRecordThatCrossesJson_shouldBeRegisteredForReflection() throws IOException {
        // Native images see only what is registered: a record missing the annotation fails at runtime there.
        int records = 0;
        try (Stream<Path> src = Files.walk(Project.root().resolve("functions"))) {
            // functions/testing is test support (a test-scoped dependency): nothing of it is ever serialised.
            for (Path f : src.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/functions/testing/")).toList()) {
                String text = Project.read(f);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*public (static )?record (\\w+)")
                        .matcher(text);
                while (m.find()) {
                    if (INTERNAL_VALUES.contains(m.group(2))) {
                        continue;
                    }
                    records++;
                    String before = text.substring(0, m.start());
                    int cut = Math.max(Math.max(before.lastIndexOf(';'), before.lastIndexOf('}')),
                            Math.max(before.lastIndexOf("*/"), before.lastIndexOf('{')));
                    assertThat(before.substring(cut + 1)).as(f.getFileName() + ": record " + m.group(2))
                            .contains("@RegisterForReflection");
                }
            }
        }
        assertThat(records).isGreaterThan(15);
    }
}
