package dev.proxysql.operator.runtime;

import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.updateVersion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.OpsFixture;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.OperatorProcess;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secret values never reach Kubernetes Events, the operator's log or the status of our resources — with the log at
 * its most verbose level ({@code trace}), through provisioning, a successful upgrade and a failed one that rolls back.
 */
@LocalCluster
class SecretsNotLeakedIT {

    @Test
    void eventsLogsAndStatusNeverContainThePasswords(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorFixture.installCatalogAndPolicies(client);
        OpsFixture.installBrokenVersion(client);
        OperatorFixture.createBackend(client, ns.name());
        OperatorProcess operator = OperatorProcess.start(cluster, ns.name() + "-trace", "proxysql-operator-it-secrets", List.of(
                "--no-proxysql-checks", "--webhook-port=0", "--namespaces=" + ns.name(), "--log-level=trace", "--no-leader-election",
                "--metrics-port=0", "--health-port=0"));
        try {
            client.resource(OpsFixture.proxysql(ns, "px", 2, null)).create();
            awaitReady(client, "px");
            client.resource(updateVersion(ns, "upgrade", "px", "2.7.3-debian", "2m", 1)).create();
            awaitOps(client, "upgrade", OpsRequestPhase.SUCCESSFUL);
            ProxySQLOpsRequest doomed = updateVersion(ns, "doomed", "px", OpsFixture.BROKEN_VERSION, "6s", 0);
            doomed.getSpec().setApply(ApplyOption.ALWAYS);
            client.resource(doomed).create();
            awaitOps(client, "doomed", OpsRequestPhase.FAILED);
            awaitReady(client, "px");
        } finally {
            assertThat(operator.terminate(Duration.ofSeconds(30))).isEqualTo(0);
        }

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("auth Secret px-auth", password(client.secrets().withName("px-auth").get()));
        secrets.put("monitor Secret px-monitor", password(client.secrets().withName("px-monitor").get()));
        secrets.put("backend Secret " + OperatorFixture.BACKEND + "-auth", password(client.secrets().withName(OperatorFixture.BACKEND + "-auth").get()));
        assertThat(secrets.values()).allSatisfy(p -> assertThat(p).isNotBlank());

        List<Event> events = client.v1().events().list().getItems();
        String log = operator.logText();
        assertThat(events).as("the test must have produced Normal and Warning events")
                .anyMatch(e -> "Warning".equals(e.getType()) && "Failed".equals(e.getReason()))
                .anyMatch(e -> "Successful".equals(e.getReason()));
        assertThat(log).as("the log is at trace level").contains(" TRACE ").hasSizeGreaterThan(100_000);
        String status = Serialization.asJson(client.resources(ProxySQL.class).list().getItems().stream().map(ProxySQL::getStatus).toList())
                + Serialization.asJson(client.resources(ProxySQLOpsRequest.class).list().getItems().stream().map(ProxySQLOpsRequest::getStatus).toList());
        System.err.printf("[secrets-it] checked %d events, %d log lines (%d KiB) and the status of our resources%n", events.size(),
                log.lines().count(), log.length() / 1024);

        // The Secrets' bodies as the API carries them (base64), e.g. the rendered proxysql.cnf, which holds both passwords.
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String name : List.of("px-auth", "px-monitor", "px-configuration", OperatorFixture.BACKEND + "-auth")) {
            client.secrets().withName(name).get().getData().forEach((key, value) -> {
                if (value.length() >= 12) {
                    bodies.put(name + "/" + key, value);
                }
            });
        }
        assertThat(bodies).containsKey("px-configuration/proxysql.cnf");
        bodies.forEach((what, body) -> {
            assertThat(log).as("the operator log must not contain the body of %s", what).doesNotContain(body);
            assertThat(events).allSatisfy(e -> assertThat(Serialization.asJson(e)).doesNotContain(body));
        });
        secrets.forEach((what, password) -> {
            for (String form : List.of(password, base64(password))) {
                for (Event e : events) {
                    assertThat(Serialization.asJson(e)).as("event %s/%s must not contain the password of the %s", e.getReason(),
                            e.getMetadata().getName(), what).doesNotContain(form);
                }
                assertThat(log).as("the operator log must not contain the password of the %s (%s)", what,
                        form.equals(password) ? "plain" : "base64").doesNotContain(form);
                assertThat(status).as("status must not contain the password of the %s", what).doesNotContain(form);
            }
        });
    }

    private static String password(Secret s) {
        if (s.getData() != null && s.getData().get("password") != null) {
            return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
        }
        return s.getStringData().get("password");
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
