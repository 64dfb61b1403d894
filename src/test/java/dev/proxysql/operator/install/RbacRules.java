package dev.proxysql.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxysql.operator.testing.Manifests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * RBAC rules flattened to one line per role, API group and resource, so that two sets of roles (the kustomize base,
 * the Helm chart, the allowlist, the README table) can be compared as plain text.
 */
record RbacRules(String role, String group, String resource, String names, String verbs) implements Comparable<RbacRules> {
    static final Path KUSTOMIZE_RBAC = Path.of("deploy/install/operator/rbac.yaml");
    private static final Set<String> ROLE_KINDS = Set.of("ClusterRole", "Role");

    /** {@code ClusterRole proxysql-operator | kubedb.com | proxysqls | - | get list watch patch}. */
    @Override
    public String toString() {
        return role + " | " + group + " | " + resource + " | " + names + " | " + verbs;
    }

    @Override
    public int compareTo(RbacRules o) {
        return toString().compareTo(o.toString());
    }

    /** The rules of every ClusterRole and Role among {@code objects}. The core group is written {@code core}. */
    static TreeSet<RbacRules> of(List<? extends JsonNode> objects) {
        TreeSet<RbacRules> rules = new TreeSet<>();
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            if (!ROLE_KINDS.contains(kind)) {
                continue;
            }
            String role = kind + " " + o.path("metadata").path("name").asText();
            for (JsonNode rule : o.path("rules")) {
                String names = rule.has("resourceNames") ? String.join(",", texts(rule.path("resourceNames"))) : "-";
                String verbs = String.join(" ", texts(rule.path("verbs")));
                for (String group : texts(rule.path("apiGroups"))) {
                    for (String resource : texts(rule.path("resources"))) {
                        rules.add(new RbacRules(role, group.isEmpty() ? "core" : group, resource, names, verbs));
                    }
                }
            }
        }
        return rules;
    }

    static TreeSet<RbacRules> ofKustomizeBase() {
        return of(Manifests.parse(KUSTOMIZE_RBAC));
    }

    /** Parses lines written like {@link #toString()}; blank lines and lines starting with # are skipped. */
    static TreeSet<RbacRules> parse(String table) {
        TreeSet<RbacRules> rules = new TreeSet<>();
        for (String line : table.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            String[] cells = line.split("\\|");
            if (cells.length != 5) {
                throw new IllegalArgumentException("not role | group | resource | names | verbs: " + line);
            }
            rules.add(new RbacRules(cells[0].strip(), cells[1].strip(), cells[2].strip(), cells[3].strip(),
                    cells[4].strip().replaceAll("\\s+", " ")));
        }
        return rules;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
