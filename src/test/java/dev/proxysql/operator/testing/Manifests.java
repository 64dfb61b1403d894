package dev.proxysql.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading installation manifests (deploy/install, rendered kustomizations and charts) as plain JSON trees. */
public final class Manifests {
    private static final ObjectMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** Every non-empty document of a multi-document YAML text. */
    public static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc instanceof ObjectNode o && !o.isEmpty()) {
                    docs.add(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse YAML", e);
        }
        return docs;
    }

    public static List<ObjectNode> parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@code Kind namespace/name}, or {@code Kind name} for cluster-scoped objects. */
    public static String key(JsonNode o) {
        JsonNode meta = o.path("metadata");
        String ns = meta.path("namespace").asText("");
        return o.path("kind").asText() + " " + (ns.isEmpty() ? "" : ns + "/") + meta.path("name").asText();
    }

    /** Objects by {@link #key}, sorted. Fails on duplicates. */
    public static Map<String, ObjectNode> byKey(List<ObjectNode> objects) {
        Map<String, ObjectNode> map = new TreeMap<>();
        for (ObjectNode o : objects) {
            if (map.put(key(o), o) != null) {
                throw new AssertionError("duplicate object " + key(o));
            }
        }
        return map;
    }

    /** Server-side-applies the objects of a manifest file as {@code admin}, each in its own namespace. */
    public static void apply(KubernetesClient admin, Path file) {
        try (var in = Files.newInputStream(file)) {
            for (HasMetadata o : admin.load(in).items()) {
                // The object's own namespace: a client with a default namespace would otherwise put it there.
                String ns = o.getMetadata().getNamespace();
                var resource = ns == null ? admin.resource(o) : admin.resource(o).inNamespace(ns);
                resource.fieldManager("test-install").forceConflicts().serverSideApply();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
