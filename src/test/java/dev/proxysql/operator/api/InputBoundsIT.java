package dev.proxysql.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every input has a bound, enforced by the API server from the CRDs (no operator running), and the refusal names the
 * field: timeouts, retries, the size of a Reconfigure, backend ports, and names too long for the children they make.
 * (What the CRD's rules cannot see, the values inside free-form maps, the webhook bounds: AdmissionWebhookIT.)
 */
@LocalCluster
class InputBoundsIT {

    @Test
    void anOpsRequestsTimeoutAndRetriesAreBounded(KubernetesClient client, TestNamespace ns) {
        for (String timeout : new String[] {"0s", "500ms", "25h", "1000000h"}) {
            assertRefused(client, ops(ns, "t", "timeout: " + timeout), "spec.timeout",
                    "spec.timeout must be from 1s to 24h (each step of the request is bounded by it)");
        }
        assertRefused(client, ops(ns, "t", "timeout: 99999999999999h"), "spec.timeout", "");
        assertRefused(client, ops(ns, "t", "timeout: " + "1".repeat(40) + "s"), "spec.timeout", "Too long");
        assertRefused(client, ops(ns, "t", "maxRetries: 11"), "spec.maxRetries", "less than or equal to 10");
        assertRefused(client, ops(ns, "t", "maxRetries: 2147483647"), "spec.maxRetries", "less than or equal to 10");
        client.resource(ops(ns, "shortest", "timeout: 1s\n  maxRetries: 10")).create();
        client.resource(ops(ns, "longest", "timeout: 24h\n  maxRetries: 0")).create();
    }

    @Test
    void aReconfigureIsBoundedSoThatItsStatusCanHoldThePreviousValues(KubernetesClient client, TestNamespace ns) {
        String users = IntStream.range(0, 33).mapToObj(i -> "{username: u" + i + "}").collect(Collectors.joining(", "));
        assertRefused(client, reconfigure(ns, "mysqlUsers: {reqType: add, users: [" + users + "]}"),
                "spec.configuration.mysqlUsers.users", "Too many: 33");
        assertRefused(client, reconfigure(ns, "mysqlUsers: {reqType: add, users: [{username: app, comment: \"" + "c".repeat(1025) + "\"}]}"),
                "spec.configuration.mysqlUsers.users[0].comment", "Too long");
        String rules = IntStream.range(1, 34).mapToObj(i -> "{rule_id: " + i + "}").collect(Collectors.joining(", "));
        assertRefused(client, reconfigure(ns, "mysqlQueryRules: {reqType: add, rules: [" + rules + "]}"),
                "spec.configuration.mysqlQueryRules.rules", "Too many: 33");
        String variables = IntStream.range(0, 65).mapToObj(i -> "v" + i + ": 1").collect(Collectors.joining(", "));
        assertRefused(client, reconfigure(ns, "mysqlVariables: {" + variables + "}"), "spec.configuration.mysqlVariables",
                "Too many: 65");
    }

    @Test
    void backendPortsAreFrom1To65535(KubernetesClient client, TestNamespace ns) {
        for (String port : new String[] {"0", "65536"}) {
            assertRefused(client, appBinding(ns, "clientConfig: {service: {name: mysql, port: " + port + "}}"),
                    "spec.clientConfig.service.port", port.equals("0") ? "greater than or equal to 1" : "less than or equal to 65535");
        }
        for (String url : new String[] {"tcp(mysql.demo.svc:99999999999)/", "mysql.demo.svc:0", "mysql://u:p@db:70000/app", "db:65536"}) {
            assertRefused(client, appBinding(ns, "clientConfig: {url: \"" + url + "\"}"), "spec.clientConfig.url",
                    "spec.clientConfig.url: the port must be from 1 to 65535");
        }
        client.resource(appBinding(ns, "clientConfig: {url: \"tcp(mysql.demo.svc:65535)/\"}")).create();
    }

    @Test
    void aProxySqlNameMustFitEveryChildItMakes(KubernetesClient client, TestNamespace ns) {
        assertRefused(client, proxysql(ns, "a".repeat(53)), "metadata.name", "at most 52 characters: the StatefulSet of that"
                + " name labels its pods controller-revision-hash=<name>-<10-character hash>, and a label value holds at most 63");
        assertRefused(client, proxysql(ns, "1proxy"), "metadata.name", "must start with a lower-case letter");
        assertRefused(client, proxysql(ns, "proxy.sql"), "metadata.name", "must start with a lower-case letter");
        client.resource(proxysql(ns, "a".repeat(52))).create();
    }

    private static void assertRefused(KubernetesClient client, GenericKubernetesResource r, String field, String reason) {
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () -> client.resource(r).create());
        assertThat(e).as("%s refused", field).isNotNull();
        assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
        assertThat(e.getStatus().getMessage()).contains(field).contains(reason);
    }

    private static GenericKubernetesResource ops(TestNamespace ns, String name, String extra) {
        return load(ns, """
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: %s}
                spec:
                  type: Restart
                  proxyRef: {name: px}
                  restart: {}
                  %s
                """.formatted(name, extra));
    }

    private static GenericKubernetesResource reconfigure(TestNamespace ns, String configuration) {
        return load(ns, """
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: reconfigure}
                spec:
                  type: Reconfigure
                  proxyRef: {name: px}
                  configuration: {%s}
                """.formatted(configuration));
    }

    private static GenericKubernetesResource appBinding(TestNamespace ns, String spec) {
        return load(ns, """
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: mysql}
                spec:
                  type: kubedb.com/mysql
                  %s
                  secret: {name: mysql-auth}
                """.formatted(spec));
    }

    private static GenericKubernetesResource proxysql(TestNamespace ns, String name) {
        return load(ns, """
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: %s}
                spec: {version: "2.6.3-debian", backend: {name: mysql}}
                """.formatted(name));
    }

    private static GenericKubernetesResource load(TestNamespace ns, String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        r.getMetadata().setNamespace(ns.name());
        return r;
    }
}
