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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A module depends on the AWS clients it uses and nothing more: each client (and its HTTP stack) costs
 * megabytes in every function.zip that carries it. For every module under functions/ (functions and the
 * shared common* modules), from its pom and its main sources:
 * <ul>
 * <li>each client artifact it names (Quarkiverse extension or plain SDK) is used by its own code
 * ({@code software.amazon.awssdk.services.<client>});</li>
 * <li>each shared module it names is used by its own code (a class of it is referred to, or the client it
 * produces is injected), so no client comes in through a shared module the function does not need;</li>
 * <li>a plain SDK client artifact excludes the Apache and Netty HTTP clients: url-connection-client is the
 * one HTTP client.</li>
 * </ul>
 */
class DependencyContractTest {
    /** The AWS service clients this project could use, by artifact and package name. */
    private static final Set<String> CLIENTS = Set.of("rds", "dynamodb", "sfn", "sns", "sqs", "secretsmanager", "kms",
            "sts", "eventbridge", "ec2", "lambda", "iam", "cloudwatch", "ssm", "s3");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    private static final Pattern GROUP = Pattern.compile("<groupId>([^<]+)</groupId>");
    private static final Pattern SCOPE = Pattern.compile("<scope>([^<]+)</scope>");

    record Dependency(String group, String artifact, boolean runtime, String body) {
        /** The client this artifact is, or null. */
        String client() {
            if (group.equals("io.quarkiverse.amazonservices") && artifact.startsWith("quarkus-amazon-")) {
                return artifact.substring("quarkus-amazon-".length());
            }
            return group.equals("software.amazon.awssdk") && CLIENTS.contains(artifact) ? artifact : null;
        }
    }

    @Test
    void everyModule_shouldUseEveryClientAndSharedModuleItDependsOn() {
        Map<String, String> problems = new TreeMap<>();
        int clients = 0;
        for (Path module : modules()) {
            String name = module.getFileName().toString();
            List<String> sources = sources(module);
            Set<String> used = usedClients(sources);
            for (Dependency d : dependencies(module)) {
                if (!d.runtime()) {
                    continue;
                }
                String client = d.client();
                if (client != null) {
                    clients++;
                    if (!used.contains(client)) {
                        problems.put(name + " -> " + d.artifact(), "no software.amazon.awssdk.services." + client
                                + " in its code: drop the dependency (or move the code that needs it here)");
                    }
                    if (d.group().equals("software.amazon.awssdk") && !(d.body().contains("apache-client")
                            && d.body().contains("netty-nio-client"))) {
                        problems.put(name + " -> " + d.artifact() + " (HTTP)", "exclude apache-client and "
                                + "netty-nio-client: url-connection-client is the one HTTP client");
                    }
                } else if (d.group().equals("org.rdsreplicator") && d.artifact().startsWith("common")
                        && !d.artifact().equals("common")) {
                    Path shared = module.resolveSibling(d.artifact());
                    boolean usesItsClient = dependencies(shared).stream().filter(Dependency::runtime)
                            .map(Dependency::client).filter(java.util.Objects::nonNull).anyMatch(used::contains);
                    if (!usesItsClient && !usesAnyClassOf(sources, shared)) {
                        problems.put(name + " -> " + d.artifact(), "none of its classes is used: drop the dependency");
                    }
                }
            }
        }
        assertThat(problems).as("modules depending on what they do not use").isEmpty();
        assertThat(clients).as("client dependencies checked").isGreaterThanOrEqualTo(5);
    }

    @Test
    void noModule_shouldBringASecondHttpClient() {
        for (Path module : modules()) {
            for (Dependency d : dependencies(module)) {
                assertThat(d.artifact()).as(module.getFileName() + ": one HTTP client (url-connection-client)")
                        .isNotIn("apache-client", "netty-nio-client", "aws-crt-client");
            }
        }
    }

    /** Every module under functions/ that has main code: the functions and the shared common* modules. */
    static List<Path> modules() {
        try (Stream<Path> s = Files.list(Project.root().resolve("functions"))) {
            return s.filter(p -> Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("src/main/java")))
                    .filter(p -> !p.getFileName().toString().equals("testing")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Dependency> dependencies(Path module) {
        String pom = Project.read(module.resolve("pom.xml"));
        List<Dependency> out = new ArrayList<>();
        Matcher m = DEPENDENCY.matcher(pom);
        while (m.find()) {
            String body = m.group(1);
            String inside = body.replaceAll("(?s)<exclusions>.*?</exclusions>", "");
            Matcher scope = SCOPE.matcher(inside);
            boolean runtime = !scope.find() || Set.of("compile", "runtime").contains(scope.group(1));
            out.add(new Dependency(first(GROUP, inside), first(ARTIFACT, inside), runtime, body));
        }
        return out;
    }

    private static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : "";
    }

    private static List<String> sources(Path module) {
        try (Stream<Path> s = Files.walk(module.resolve("src/main/java"))) {
            return s.filter(p -> p.toString().endsWith(".java")).map(Project::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> usedClients(List<String> sources) {
        Set<String> out = new TreeSet<>();
        Pattern p = Pattern.compile("software\\.amazon\\.awssdk\\.services\\.([a-z0-9]+)\\.");
        for (String s : sources) {
            Matcher m = p.matcher(s);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Whether some source refers to a class of {@code shared}: by import, or by name from the same package. */
    private static boolean usesAnyClassOf(List<String> sources, Path shared) {
        for (String cls : sources(shared)) {
            String pkg = first(Pattern.compile("(?m)^package ([\\w.]+);"), cls);
            Matcher types = Pattern.compile("(?m)^public (?:final |abstract )?(?:class|interface|record|enum|@interface) (\\w+)")
                    .matcher(cls);
            if (!types.find()) {
                continue;
            }
            String simple = types.group(1);
            for (String s : sources) {
                boolean samePackage = pkg.equals(first(Pattern.compile("(?m)^package ([\\w.]+);"), s));
                if (s.contains("import " + pkg + "." + simple + ";") || s.contains("import " + pkg + "." + simple + ".")
                        || s.contains("import static " + pkg + "." + simple + ".")
                        || (samePackage && Pattern.compile("\\b" + simple + "\\b").matcher(s).find())) {
                    return true;
                }
            }
        }
        return false;
    }
}
