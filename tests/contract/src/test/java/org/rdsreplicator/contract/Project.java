package org.rdsreplicator.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the project's deployable files: template.yaml (with CloudFormation's short tags) and the ASL. */
final class Project {
    static final ObjectMapper JSON = new ObjectMapper();

    private Project() {
    }

    static Path root() {
        String root = System.getProperty("project.root");
        Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("template.yaml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("project root not found");
        }
        return p;
    }

    /** template.yaml as maps and lists; {@code !Ref X} becomes {Ref: X}, {@code !Sub s} becomes {Fn::Sub: s}, etc. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> template() {
        try {
            return (Map<String, Object>) new Yaml(new CfnConstructor()).load(Files.readString(root().resolve("template.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resources() {
        return (Map<String, Object>) template().get("Resources");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    static List<Path> aslFiles() {
        try (Stream<Path> s = Files.list(root().resolve("statemachines"))) {
            return s.filter(p -> p.toString().endsWith(".asl.json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every node of a JSON tree, depth first. */
    static List<JsonNode> walk(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        walk(n, out);
        return out;
    }

    private static void walk(JsonNode n, List<JsonNode> out) {
        out.add(n);
        n.elements().forEachRemaining(c -> walk(c, out));
    }

    /** Maps CloudFormation short-form tags onto their long form. */
    static final class CfnConstructor extends SafeConstructor {
        /** The template shares its IAM statements through YAML anchors: more than SnakeYAML's default 50 aliases. */
        private static LoaderOptions loaderOptions() {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(500);
            return options;
        }

        CfnConstructor() {
            super(loaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode s) {
                        String v = s.getValue();
                        value = tag.equals("GetAtt") ? List.of(v.split("\\.", 2)) : v;
                    } else if (node instanceof SequenceNode q) {
                        value = constructSequence(q);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(key, value);
                }
            });
        }
    }
}
