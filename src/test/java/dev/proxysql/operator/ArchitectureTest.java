package dev.proxysql.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The package layout's rules, checked on the sources: the two controllers share only the API model, the topology
 * package (names, labels, ports, the pause protocol) and the helpers below them, so that either can be deployed, read
 * and changed without the other; inside the ops manager every arrow points down (its controllers and state machine,
 * then the ops types, the shared flow, the step kit, the API-server reads and writes, the engine, the checks and the
 * queue), the rolling engine and the decisions use no Kubernetes client, and no packages import each other in a loop.
 * A dependency is an import (also static or on-demand) or a fully qualified name in the code; comments and string
 * literals do not count.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final String ROOT = "dev.proxysql.operator";
    private static final String OPS = ROOT + ".opsmanager";
    /** A reference to one of this project's types: package, then a capitalised simple name. */
    private static final Pattern OWN_REFERENCE = Pattern.compile("\\b(dev\\.proxysql\\.operator(?:\\.[a-z][a-z0-9]*)*)\\.(?:[A-Z]|\\*)");
    private static final Pattern KUBERNETES_CLIENT = Pattern.compile("\\bio\\.fabric8\\.kubernetes\\.client\\b");

    /** The ops manager's floors, bottom first: a package may only use packages on lower floors (or its own). */
    private static final List<Set<String>> OPS_FLOORS = List.of(
            Set.of("rolling", "queue"),
            Set.of("checks"),
            Set.of("io"),
            Set.of("step"),
            Set.of("flow"),
            Set.of("updateversion", "restart", "verticalscaling", "horizontalscaling", "reconfigure", "reconfiguretls", "rotateauth"),
            Set.of(""));

    /** The decisions: pure functions of what a step observed, and the rolling engine. */
    private static final List<String> DECISIONS = List.of(
            "opsmanager/rolling/",
            "opsmanager/flow/StepDecisions.java",
            "opsmanager/flow/RequestDeadline.java",
            "opsmanager/flow/StepView.java",
            "opsmanager/step/Step.java",
            "opsmanager/step/StepOutcome.java",
            "opsmanager/step/StepResult.java",
            "opsmanager/horizontalscaling/MemberPlan.java",
            "opsmanager/reconfigure/ReconfigurePlan.java",
            "opsmanager/queue/OpsQueue.java",
            "opsmanager/queue/Ownership.java");

    @ParameterizedTest(name = "{0} does not use {1}")
    @CsvSource({
            "provisioner, opsmanager",
            "opsmanager, provisioner",
            "topology, provisioner",
            "topology, opsmanager",
            "topology, runtime",
            "proxysql, provisioner",
            "proxysql, opsmanager",
            "kube, provisioner",
            "kube, opsmanager",
            "kube, topology",
            "api, provisioner",
            "api, opsmanager",
    })
    void packageDoesNotUse(String from, String forbidden) {
        List<String> offenders = dependencies().stream()
                .filter(d -> within(d.from(), ROOT + "." + from) && within(d.to(), ROOT + "." + forbidden))
                .map(Dependency::toString).toList();
        assertThat(offenders).as("%s must not depend on %s", from, forbidden).isEmpty();
    }

    @Test
    void opsManagerArrowsPointDown() {
        List<String> offenders = new ArrayList<>();
        for (Dependency d : dependencies()) {
            if (!within(d.from(), OPS) || !within(d.to(), OPS)) {
                continue;
            }
            String from = opsPackage(d.from());
            String to = opsPackage(d.to());
            if (!from.equals(to) && floor(to) >= floor(from)) {
                offenders.add(d + " (floor " + floor(from) + " uses floor " + floor(to) + ")");
            }
        }
        assertThat(offenders).as("an ops-manager package may only use packages below it: %s", OPS_FLOORS).isEmpty();
    }

    @Test
    void theRollingEngineAndTheDecisionsUseNoKubernetesClient() {
        List<String> offenders = new ArrayList<>();
        for (Path f : sources()) {
            String rel = MAIN.resolve(ROOT.replace('.', '/')).relativize(f).toString().replace('\\', '/');
            if (DECISIONS.stream().anyMatch(rel::startsWith) && KUBERNETES_CLIENT.matcher(code(f)).find()) {
                offenders.add(rel);
            }
        }
        assertThat(offenders).as("decisions are pure: no io.fabric8.kubernetes.client").isEmpty();
    }

    @Test
    void noPackagesUseEachOtherInALoop() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Dependency d : dependencies()) {
            if (!d.from().equals(d.to())) {
                graph.computeIfAbsent(d.from(), k -> new TreeSet<>()).add(d.to());
            }
        }
        assertThat(cycles(graph)).as("package cycles (each a strongly connected set of packages)").isEmpty();
    }

    /** Checks the checker: a fully qualified name in code is a dependency, one in a comment or a string is not. */
    @Test
    void fullyQualifiedNamesInCodeCount() {
        String code = code("""
                package dev.proxysql.operator.opsmanager.rolling;
                /** {@link dev.proxysql.operator.opsmanager.OpsStateMachine} in a comment */
                class X {
                    String s = "dev.proxysql.operator.provisioner.Thing";
                    dev.proxysql.operator.opsmanager.step.OpsRun run; // dev.proxysql.operator.api.Y
                }
                """);
        assertThat(references(code)).containsExactly(OPS + ".step");
    }

    // --- reading the sources -------------------------------------------------------------------------------------

    private record Dependency(Path file, String from, String to) {
        @Override
        public String toString() {
            return MAIN.relativize(file) + " uses " + to;
        }
    }

    private static List<Dependency> dependencies() {
        List<Dependency> all = new ArrayList<>();
        for (Path f : sources()) {
            String from = MAIN.relativize(f.getParent()).toString().replace('/', '.').replace('\\', '.');
            for (String to : references(code(f))) {
                all.add(new Dependency(f, from, to));
            }
        }
        return all;
    }

    private static Set<String> references(String code) {
        Set<String> found = new TreeSet<>();
        Matcher m = OWN_REFERENCE.matcher(code);
        while (m.find()) {
            found.add(m.group(1));
        }
        String own = packageOf(code);
        if (own != null) {
            found.remove(own);
        }
        return found;
    }

    private static String packageOf(String code) {
        Matcher m = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE).matcher(code);
        return m.find() ? m.group(1) : null;
    }

    private static boolean within(String pkg, String parent) {
        return pkg.equals(parent) || pkg.startsWith(parent + ".");
    }

    /** The ops-manager package a package belongs to: "" for the root, else its first segment below opsmanager. */
    private static String opsPackage(String pkg) {
        String rest = pkg.equals(OPS) ? "" : pkg.substring(OPS.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static int floor(String opsPackage) {
        for (int i = 0; i < OPS_FLOORS.size(); i++) {
            if (OPS_FLOORS.get(i).contains(opsPackage)) {
                return i;
            }
        }
        throw new AssertionError("opsmanager/" + opsPackage + " is on no floor of ArchitectureTest.OPS_FLOORS: place it");
    }

    /** Tarjan's strongly connected components of more than one package. */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> found = new ArrayList<>();
        int[] next = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, found, next);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<Set<String>> found, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, found, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN.resolve(ROOT.replace('.', '/')))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String code(Path f) {
        try {
            return code(Files.readString(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source without comments, string and character literals (text blocks included). */
    static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && source.charAt(i) != c) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
