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
            assertThat(codeUri).as(e.getKey()).matches("functions/[a-z-]+/target/function\\.zip");
            String module = codeUri.split("/")[1];
            Path dir = Project.root().resolve("functions").resolve(module);
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
}
