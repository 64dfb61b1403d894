package dev.proxysql.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxysql.operator.testing.Manifests;
import dev.proxysql.operator.testing.Tools;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.Pods;
import dev.proxysql.operator.testing.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The installation as users run it, with the kubectl and Helm built by hack/: `kubectl apply -k deploy/install` on the
 * local API server (its pod must pass the restricted Pod Security Standard, enforced in its namespace), the deploy/local
 * overlay, the Helm chart rendering the same objects as the kustomize base, its values, and `helm install` /
 * `helm uninstall`. Each test removes the operator it installed (the webhook configuration must not outlive the test:
 * the API server would call a webhook nobody serves), but keeps CRDs and catalog, which other test classes use.
 */
@LocalCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallIT {
    private static final String NAMESPACE = "proxysql-operator-system";
    private static final String CHART = "deploy/helm/proxysql-operator";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** What deploy/local leaves out of deploy/install: the operator runs as a local process there. */
    private static final Set<String> NOT_IN_LOCAL = Set.of("Deployment " + NAMESPACE + "/proxysql-operator",
            "Service " + NAMESPACE + "/proxysql-operator-webhook", "ValidatingWebhookConfiguration proxysql-operator",
            "MutatingWebhookConfiguration proxysql-operator");
    /** What only deploy/local has: the ProxySQL versions whose images hack/images/build.sh builds on this machine. */
    private static final Set<String> ONLY_IN_LOCAL = Set.of("ProxySQLVersion 2.6.5-local", "ProxySQLVersion 2.7.1-local");

    @Test
    @Order(1)
    void kubectlApplyInstallsAnOperatorPodThatPassesTheRestrictedStandard(KubernetesClient admin, TestCluster cluster) {
        Path kubeconfig = cluster.kubeconfig();
        // The CRDs are there already (the test extension installs them), as after the README's first step.
        Tools.Result applied = Tools.kubectl(kubeconfig, "apply", "-k", "deploy/install").orFail();
        try {
            assertThat(applied.stderr()).as("warnings of kubectl apply -k deploy/install").doesNotContain("PodSecurity");
            Tools.kubectl(kubeconfig, "-n", NAMESPACE, "rollout", "status", "deployment/proxysql-operator", "--timeout=120s").orFail();
            assertThat(admin.namespaces().withName(NAMESPACE).get().getMetadata().getLabels())
                    .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
            List<Pod> pods = admin.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", "proxysql-operator").list().getItems();
            assertThat(pods).as("operator pods, admitted under the restricted standard").hasSize(1);
            Pod pod = pods.get(0);
            assertThat(Pods.isReady(pod)).isTrue();
            assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("proxysql-operator");
            assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("ghcr.io/proxysql-operator/proxysql-operator:0.1.0");
            assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(admin.admissionRegistration().v1().validatingWebhookConfigurations().withName("proxysql-operator").get()
                    .getWebhooks().get(0).getFailurePolicy()).isEqualTo("Ignore");
            assertThat(admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName("proxysql-operator").get()
                    .getWebhooks().get(0).getFailurePolicy()).isEqualTo("Fail");
            // Applying again changes nothing and fails nothing (an upgrade is the same command).
            Tools.kubectl(kubeconfig, "apply", "-k", "deploy/install").orFail();
        } finally {
            Tools.kubectl(kubeconfig, "delete", "-k", "deploy/install/operator", "--wait=true", "--timeout=120s").orFail();
        }
        assertThat(admin.namespaces().withName(NAMESPACE).get()).as("namespace after uninstalling the operator").isNull();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("proxysqls.kubedb.com").get())
                .as("the CRDs survive `kubectl delete -k deploy/install/operator`").isNotNull();
    }

    @Test
    @Order(2)
    void theLocalOverlayIsTheInstallationWithoutDeploymentAndWebhook() {
        Map<String, ObjectNode> install = kustomize("deploy/install");
        Map<String, ObjectNode> local = kustomize("deploy/local");
        assertThat(install.keySet()).containsAll(NOT_IN_LOCAL);
        assertThat(install.keySet()).doesNotContainAnyElementsOf(ONLY_IN_LOCAL);
        assertThat(local.keySet()).containsAll(ONLY_IN_LOCAL);
        ONLY_IN_LOCAL.forEach(key -> assertThat(local.get(key).path("spec").path("proxysql").path("image").asText())
                .as("image of %s", key).startsWith("localhost/proxysql:").endsWith("-local"));
        Map<String, ObjectNode> expected = new TreeMap<>(install);
        expected.keySet().removeAll(NOT_IN_LOCAL);
        Map<String, ObjectNode> shared = new TreeMap<>(local);
        shared.keySet().removeAll(ONLY_IN_LOCAL);
        assertThat(shared).isEqualTo(expected);
    }

    @Test
    @Order(3)
    void theHelmChartRendersTheObjectsOfTheKustomizeBase() {
        Tools.Result lint = Tools.helm(Path.of("/dev/null"), "lint", "--strict", CHART).orFail();
        assertThat(lint.stdout()).contains("0 chart(s) failed");
        List<ObjectNode> helm = helmTemplate(NAMESPACE, "--include-crds");
        Map<String, ObjectNode> kustomize = kustomize("deploy/install");
        assertThat(RbacRules.of(helm)).as("RBAC rules of the chart and of deploy/install")
                .containsExactlyElementsOf(RbacRules.of(new ArrayList<>(kustomize.values())));

        Map<String, ObjectNode> expected = new TreeMap<>(kustomize);
        assertThat(expected.remove("Namespace " + NAMESPACE)).as("the Namespace, which only kustomize creates").isNotNull();
        Map<String, ObjectNode> rendered = withoutLabelsAndAnnotations(Manifests.byKey(helm));
        assertThat(rendered.keySet()).isEqualTo(expected.keySet());
        withoutLabelsAndAnnotations(expected).forEach((key, object) ->
                assertThat(rendered.get(key)).as("%s rendered by Helm (labels and annotations aside)", key).isEqualTo(object));
    }

    @Test
    @Order(4)
    void helmValuesChangeWhatTheySay() {
        Map<String, ObjectNode> scoped = Manifests.byKey(helmTemplate("ops", "--set", "watchNamespaces={team-a,team-b}",
                "--set", "proxysqlChecks=false", "--set", "image.repository=registry.example.com/proxysql-operator", "--set", "image.tag=1.2.3"));
        assertThat(scoped).containsKeys("RoleBinding team-a/proxysql-operator", "RoleBinding team-b/proxysql-operator",
                "ClusterRoleBinding proxysql-operator-cluster").doesNotContainKey("ClusterRoleBinding proxysql-operator");
        assertThat(scoped.get("RoleBinding team-a/proxysql-operator").path("subjects").get(0).path("namespace").asText()).isEqualTo("ops");
        JsonNode container = container(scoped);
        assertThat(texts(container.path("args"))).contains("--namespaces=team-a,team-b", "--no-proxysql-checks",
                "--webhook-service-namespace=ops", "--leader-election");
        assertThat(container.path("image").asText()).isEqualTo("registry.example.com/proxysql-operator:1.2.3");
        assertThat(scoped.get("ValidatingWebhookConfiguration proxysql-operator").path("webhooks").get(0)
                .path("namespaceSelector").path("matchExpressions").get(0).path("values").toString()).isEqualTo("[\"team-a\",\"team-b\"]");
        assertThat(scoped.get("MutatingWebhookConfiguration proxysql-operator").path("webhooks").get(0)
                .path("namespaceSelector").path("matchExpressions").get(0).path("values").toString()).isEqualTo("[\"team-a\",\"team-b\"]");

        Map<String, ObjectNode> ha = Manifests.byKey(helmTemplate(NAMESPACE, "--set", "replicaCount=2",
                "--set", "webhook.certSecretName=webhook-tls", "--set", "webhook.caBundle=Q0E="));
        assertThat(ha).containsKey("PodDisruptionBudget " + NAMESPACE + "/proxysql-operator");
        assertThat(texts(container(ha).path("args"))).contains("--webhook-cert-dir=/etc/proxysql-operator/webhook-certs");
        assertThat(RbacRules.of(new ArrayList<>(ha.values()))).as("no caBundle to publish: no rule on the webhook configuration")
                .noneMatch(r -> r.resource().endsWith("webhookconfigurations"));

        Map<String, ObjectNode> authenticated = Manifests.byKey(helmTemplate(NAMESPACE, "--set", "webhook.clientCAConfigMap=apiserver-ca",
                "--set", "webhook.clientNames={front-proxy-client,apiserver}"));
        assertThat(texts(container(authenticated).path("args"))).contains("--webhook-client-ca=/etc/proxysql-operator/webhook-client-ca/ca.crt",
                "--webhook-client-name=front-proxy-client,apiserver");
        assertThat(authenticated.get("Deployment " + NAMESPACE + "/proxysql-operator").path("spec").path("template").path("spec")
                .path("volumes").toString()).contains("\"configMap\":{\"name\":\"apiserver-ca\"");
        assertThat(texts(container(Manifests.byKey(helmTemplate(NAMESPACE))).path("args"))).as("off by default")
                .noneMatch(a -> a.startsWith("--webhook-client"));

        Map<String, ObjectNode> minimal = Manifests.byKey(helmTemplate(NAMESPACE, "--set", "webhook.enabled=false",
                "--set", "leaderElection.enabled=false", "--set", "catalog.enabled=false", "--set", "policies.doNotTerminate=false",
                "--set", "policies.queuedAt=false"));
        assertThat(minimal.keySet()).containsExactlyInAnyOrder("ServiceAccount " + NAMESPACE + "/proxysql-operator",
                "ClusterRole proxysql-operator", "ClusterRole proxysql-operator-cluster", "ClusterRoleBinding proxysql-operator",
                "ClusterRoleBinding proxysql-operator-cluster", "Deployment " + NAMESPACE + "/proxysql-operator");
        assertThat(texts(container(minimal).path("args"))).contains("--webhook-port=0", "--no-leader-election");

        assertThat(helmFails("--set", "replicaCount=2")).contains("webhook.certSecretName");
        assertThat(helmFails("--set", "replicaCount=2", "--set", "webhook.enabled=false", "--set", "leaderElection.enabled=false"))
                .contains("leaderElection.enabled");
        assertThat(helmFails("--set", "webhook.certSecretName=webhook-tls")).contains("webhook.caBundle");
        assertThat(helmFails("--set", "watchNamespaces={Not_A_Namespace}")).contains("not a namespace name");
        assertThat(helmFails("--set", "webhook.queueStampFailurePolicy=ignore"))
                .contains("webhook.queueStampFailurePolicy: \"ignore\" is not a failure policy: use Fail or Ignore");
        assertThat(Manifests.byKey(helmTemplate(NAMESPACE, "--set", "webhook.queueStampFailurePolicy=Ignore"))
                .get("MutatingWebhookConfiguration proxysql-operator").path("webhooks").get(0).path("failurePolicy").asText())
                .isEqualTo("Ignore");
    }

    @Test
    @Order(5)
    void helmInstallsAndUninstallsTheOperator(KubernetesClient admin, TestCluster cluster) {
        Path kubeconfig = cluster.kubeconfig();
        // As the README says: the namespace first, with the restricted standard enforced.
        Tools.kubectl(kubeconfig, "apply", "-f", "deploy/install/operator/namespace.yaml").orFail();
        try {
            // Catalog and policy are installed already (kubectl, other tests): Helm must not try to own them.
            Tools.helm(kubeconfig, "install", "proxysql-operator", CHART, "-n", NAMESPACE, "--set", "catalog.enabled=false",
                    "--set", "policies.doNotTerminate=false", "--set", "policies.queuedAt=false", "--wait", "--timeout", "2m").orFail();
            Pod pod = Await.until(TIMEOUT, "the operator pod installed by Helm to be Ready",
                    () -> admin.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", "proxysql-operator").list().getItems(),
                    l -> l.size() == 1 && Pods.isReady(l.get(0))).get(0);
            assertThat(pod.getSpec().getContainers().get(0).getArgs()).contains("--leader-election", "--webhook-port=8443");
            assertThat(admin.rbac().clusterRoles().withName("proxysql-operator").get().getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "Helm");
            Tools.helm(kubeconfig, "uninstall", "proxysql-operator", "-n", NAMESPACE, "--wait", "--timeout", "2m").orFail();
            assertThat(admin.rbac().clusterRoles().withName("proxysql-operator").get()).isNull();
            assertThat(admin.admissionRegistration().v1().validatingWebhookConfigurations().withName("proxysql-operator").get()).isNull();
            assertThat(admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName("proxysql-operator").get()).isNull();
            assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("proxysqls.kubedb.com").get())
                    .as("Helm never deletes CRDs").isNotNull();
        } finally {
            Tools.helm(kubeconfig, "uninstall", "proxysql-operator", "-n", NAMESPACE, "--ignore-not-found", "--wait");
            Tools.kubectl(kubeconfig, "delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=120s").orFail();
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static Map<String, ObjectNode> kustomize(String dir) {
        return Manifests.byKey(Manifests.parse(Tools.kubectl(Path.of("/dev/null"), "kustomize", dir).orFail().stdout()));
    }

    private static List<ObjectNode> helmTemplate(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("template", "proxysql-operator", CHART, "-n", namespace));
        command.addAll(List.of(args));
        return Manifests.parse(Tools.helm(Path.of("/dev/null"), command.toArray(String[]::new)).orFail().stdout());
    }

    /** Renders with {@code args}, expects a refusal, and returns Helm's message. */
    private static String helmFails(String... args) {
        List<String> command = new ArrayList<>(List.of("template", "proxysql-operator", CHART, "-n", NAMESPACE));
        command.addAll(List.of(args));
        Tools.Result r = Tools.helm(Path.of("/dev/null"), command.toArray(String[]::new));
        assertThat(r.ok()).as("helm %s should be refused", String.join(" ", args)).isFalse();
        return r.stderr();
    }

    private static JsonNode container(Map<String, ObjectNode> objects) {
        return objects.values().stream().filter(o -> "Deployment".equals(o.path("kind").asText())).findFirst().orElseThrow()
                .path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * Top-level labels and annotations differ on purpose (Helm's own labels); everything else must not. Numbers are
     * compared by value: kustomize writes the CRDs' {@code minimum: 3.0} back as {@code 3}.
     */
    private static Map<String, ObjectNode> withoutLabelsAndAnnotations(Map<String, ObjectNode> objects) {
        Map<String, ObjectNode> out = new TreeMap<>();
        objects.forEach((k, o) -> {
            ObjectNode copy = (ObjectNode) numbersByValue(o.deepCopy());
            ((ObjectNode) copy.path("metadata")).remove(new TreeSet<>(List.of("labels", "annotations")));
            out.put(k, copy);
        });
        return out;
    }

    private static JsonNode numbersByValue(JsonNode node) {
        if (node.isNumber()) {
            return JsonNodeFactory.instance.numberNode(node.decimalValue().stripTrailingZeros());
        }
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(f -> o.set(f, numbersByValue(o.get(f))));
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, numbersByValue(a.get(i)));
            }
        }
        return node;
    }
}
