package dev.proxysql.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The API is KubeDB's: manifests written for KubeDB are accepted and read back with every field, static rules are
 * enforced by the API server itself with messages that name the field, and kubectl shows KubeDB's columns.
 */
@LocalCluster
class ApiCompatibilityIT {

    @Test
    void theSamplesAreAcceptedByTheApiServer(KubernetesClient client, TestNamespace ns) throws IOException {
        List<Path> samples;
        try (var files = java.nio.file.Files.list(Path.of("deploy/samples"))) {
            samples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(samples).extracting(f -> f.getFileName().toString())
                .contains("namespace.yaml", "backend.yaml", "proxysql.yaml", "upgrade.yaml", "vertical-scaling.yaml",
                        "horizontal-scaling.yaml", "reconfigure.yaml", "reconfigure-tls.yaml", "rotate-auth.yaml", "tls.yaml", "monitoring.yaml");
        int checked = 0;
        for (Path sample : samples) {
            try (InputStream in = java.nio.file.Files.newInputStream(sample)) {
                for (var item : client.load(in).items()) {
                    if ("Namespace".equals(item.getKind())) {
                        continue;
                    }
                    // In the test's namespace, as a server-side dry run: schema, CEL rules and admission, nothing stored.
                    item.getMetadata().setNamespace(ns.name());
                    client.resource(item).dryRun().create();
                    checked++;
                }
            } catch (KubernetesClientException e) {
                throw new AssertionError(sample + " is refused by the API server: " + e.getMessage(), e);
            }
        }
        assertThat(checked).as("objects checked in %s", samples).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyKindRoundTripsAKubeDbManifestWithEveryField(KubernetesClient client, TestNamespace ns) {
        for (String manifest : List.of("proxysql-full.yaml", "proxysqlopsrequest-updateversion.yaml", "appbinding-mysql.yaml",
                "proxysqlversion-custom.yaml")) {
            GenericKubernetesResource sent = load(manifest);
            if (!"ProxySQLVersion".equals(sent.getKind())) {
                sent.getMetadata().setNamespace(ns.name());
            }
            GenericKubernetesResource stored = client.resource(sent).create();
            GenericKubernetesResource read = client.resource(stored).get();
            assertContainsRecursively(manifest + " spec", sent.getAdditionalProperties().get("spec"),
                    read.getAdditionalProperties().get("spec"));
            if ("ProxySQLVersion".equals(sent.getKind())) {
                client.resource(read).delete();
            }
        }
    }

    @Test
    void defaultsAreKubeDbs(KubernetesClient client, TestNamespace ns) {
        GenericKubernetesResource minimal = Serialization.unmarshal("""
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: minimal}
                spec: {version: "2.6.3-debian", backend: {name: mysql-server}}
                """, GenericKubernetesResource.class);
        minimal.getMetadata().setNamespace(ns.name());
        Map<String, Object> spec = spec(client.resource(minimal).create());
        assertThat(spec).containsEntry("replicas", 1).containsEntry("deletionPolicy", "Delete").containsEntry("syncUsers", false);

        GenericKubernetesResource ops = Serialization.unmarshal("""
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: restart}
                spec: {type: Restart, proxyRef: {name: minimal}}
                """, GenericKubernetesResource.class);
        ops.getMetadata().setNamespace(ns.name());
        assertThat(spec(client.resource(ops).create())).containsEntry("apply", "IfReady").containsEntry("maxRetries", 1);
    }

    @Test
    void allOpsTypesOfTheEnumAreAccepted(KubernetesClient client, TestNamespace ns) {
        Map<String, String> blocks = Map.of(
                "UpdateVersion", "updateVersion: {targetVersion: 2.7.3-debian}",
                "HorizontalScaling", "horizontalScaling: {member: 3}",
                "VerticalScaling", "verticalScaling: {proxysql: {resources: {requests: {cpu: 500m}}}}",
                "Restart", "restart: {}",
                "Reconfigure", "configuration: {mysqlQueryRules: {reqType: add, rules: [{rule_id: 7, active: 1}]}}",
                "ReconfigureTLS", "tls: {rotateCertificates: true}",
                "RotateAuth", "authentication: {secretRef: {name: new-auth}}");
        blocks.forEach((type, block) -> client.resource(opsRequest(ns, "ops-" + type.toLowerCase(), type, block)).create());
        assertThat(client.genericKubernetesResources("ops.kubedb.com/v1alpha1", "ProxySQLOpsRequest").list().getItems())
                .hasSize(blocks.size());
    }

    @Test
    void badManifestsAreRejectedByTheApiServerNamingTheField(KubernetesClient client, TestNamespace ns) {
        assertRejected(() -> client.resource(opsRequest(ns, "bad-type", "Upgrade", "upgrade: {targetVersion: 2.7.3-debian}")).create(),
                "spec.type", "Unsupported value: \"Upgrade\"");
        assertRejected(() -> client.resource(opsRequest(ns, "no-target", "UpdateVersion", "timeout: 5m")).create(),
                "spec.updateVersion.targetVersion", "required when spec.type is UpdateVersion");
        assertRejected(() -> client.resource(opsRequest(ns, "no-rule-id", "Reconfigure",
                        "configuration: {mysqlQueryRules: {reqType: add, rules: [{active: 1}]}}")).create(),
                "rule_id", "Required value");
        assertRejected(() -> client.resource(opsRequest(ns, "bad-req-type", "Reconfigure",
                        "configuration: {mysqlUsers: {reqType: upsert, users: [{username: app}]}}")).create(),
                "spec.configuration.mysqlUsers.reqType", "Unsupported value: \"upsert\"");
        assertRejected(() -> client.resource(opsRequest(ns, "no-member", "HorizontalScaling", "horizontalScaling: {}")).create(),
                "spec.horizontalScaling.member", "required when spec.type is HorizontalScaling");
        assertRejected(() -> client.resource(opsRequest(ns, "two-members", "HorizontalScaling", "horizontalScaling: {member: 2}")).create(),
                "spec.horizontalScaling.member", "greater than or equal to 3");
        assertRejected(() -> client.resource(opsRequest(ns, "many-members", "HorizontalScaling", "horizontalScaling: {member: 51}")).create(),
                "spec.horizontalScaling.member", "less than or equal to 50");
        assertRejected(() -> client.resource(opsRequest(ns, "two-tls", "ReconfigureTLS", "tls: {remove: true, rotateCertificates: true}")).create(),
                "spec.tls", "exactly one of");

        GenericKubernetesResource ops = client.resource(opsRequest(ns, "frozen", "UpdateVersion",
                "updateVersion: {targetVersion: 2.7.3-debian}")).create();
        assertRejected(() -> client.resource(ops).edit(o -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> update = (Map<String, Object>) spec(o).get("updateVersion");
            update.put("targetVersion", "3.0.1-debian");
            return o;
        }), "spec", "immutable");

        GenericKubernetesResource px = Serialization.unmarshal("""
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: px}
                spec: {version: "2.6.3-debian", backend: {name: mysql-server}}
                """, GenericKubernetesResource.class);
        px.getMetadata().setNamespace(ns.name());
        GenericKubernetesResource created = client.resource(px).create();
        assertRejected(() -> client.resource(created).edit(o -> {
            spec(o).put("backend", Map.of("name", "another-backend"));
            return o;
        }), "spec.backend", "immutable");
        assertRejected(() -> client.resource(created).edit(o -> {
            spec(o).put("deletionPolicy", "Terminate");
            return o;
        }), "spec.deletionPolicy", "Unsupported value: \"Terminate\"");
        GenericKubernetesResource noBackend = Serialization.unmarshal("""
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: nobackend}
                spec: {version: "2.6.3-debian"}
                """, GenericKubernetesResource.class);
        noBackend.getMetadata().setNamespace(ns.name());
        assertRejected(() -> client.resource(noBackend).create(), "spec.backend", "Required value");
    }

    @Test
    void kubectlShowsKubeDbsColumns(KubernetesClient client, TestNamespace ns, TestCluster cluster) throws Exception {
        GenericKubernetesResource px = load("proxysql-full.yaml");
        px.getMetadata().setNamespace(ns.name());
        client.resource(px).create();
        client.resource(withNamespace(load("proxysqlopsrequest-updateversion.yaml"), ns)).create();
        GenericKubernetesResource version = client.resource(load("proxysqlversion-custom.yaml")).create();
        try {
            String out = kubectl(cluster, "get", "prx,prxops,prxversion", "-n", ns.name());
            assertThat(out).containsPattern("NAME\\s+VERSION\\s+STATUS\\s+AGE")
                    .containsPattern("proxysql\\.kubedb\\.com/proxy-server\\s+2\\.6\\.3-debian\\s+")
                    .containsPattern("NAME\\s+TYPE\\s+STATUS\\s+AGE")
                    .containsPattern("proxysqlopsrequest\\.ops\\.kubedb\\.com/proxy-server-update\\s+UpdateVersion\\s+")
                    .containsPattern("NAME\\s+VERSION\\s+PROXYSQL_IMAGE\\s+DEPRECATED\\s+AGE")
                    .containsPattern("2\\.7\\.3-custom-test\\s+2\\.7\\.3-custom\\s+registry\\.example/proxysql:2\\.7\\.3\\s+false\\s+");
        } finally {
            client.resource(version).delete();
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static void assertRejected(Runnable write, String field, String reason) {
        assertThatThrownBy(write::run).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(field).hasMessageContaining(reason);
    }

    private static GenericKubernetesResource opsRequest(TestNamespace ns, String name, String type, String block) {
        GenericKubernetesResource r = Serialization.unmarshal("""
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: %s}
                spec:
                  type: %s
                  proxyRef: {name: px}
                  %s
                """.formatted(name, type, block), GenericKubernetesResource.class);
        return withNamespace(r, ns);
    }

    private static GenericKubernetesResource withNamespace(GenericKubernetesResource r, TestNamespace ns) {
        r.getMetadata().setNamespace(ns.name());
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    private static GenericKubernetesResource load(String manifest) {
        try (InputStream in = ApiCompatibilityIT.class.getResourceAsStream("/manifests/" + manifest)) {
            return Serialization.unmarshal(in, GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything in {@code expected} is in {@code actual} with an equal value; the server may add defaults. */
    @SuppressWarnings("unchecked")
    private static void assertContainsRecursively(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> e) {
            assertThat(actual).as(path).isInstanceOf(Map.class);
            Map<String, Object> a = (Map<String, Object>) actual;
            ((Map<String, Object>) e).forEach((k, v) -> {
                assertThat(a).as(path + "." + k + " kept").containsKey(k);
                assertContainsRecursively(path + "." + k, v, a.get(k));
            });
        } else if (expected instanceof List<?> e) {
            assertThat(actual).as(path).isInstanceOf(List.class);
            List<Object> a = (List<Object>) actual;
            assertThat(a).as(path + " size").hasSameSizeAs(e);
            for (int i = 0; i < e.size(); i++) {
                assertContainsRecursively(path + "[" + i + "]", e.get(i), a.get(i));
            }
        } else if (expected instanceof Number n) {
            assertThat(((Number) actual).doubleValue()).as(path).isEqualTo(n.doubleValue());
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    private static String kubectl(TestCluster cluster, String... args) throws IOException, InterruptedException {
        Process build = new ProcessBuilder("bash", "hack/control-plane/build.sh").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(build.waitFor(120, TimeUnit.SECONDS)).as("build.sh finished").isTrue();
        String binDir = out.substring(out.lastIndexOf('\n') + 1);
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(binDir, "kubectl").toString(),
                "--kubeconfig", cluster.kubeconfig().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        assertThat(p.exitValue()).as("kubectl exit code; output:%n%s", text).isZero();
        return text;
    }
}
