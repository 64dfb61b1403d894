package dev.proxysql.operator.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Proves that the local cluster behaves like a real one where our operator depends on it: real controllers
 * create and replace pods, the scheduler places them on (kwok) nodes, eviction honours PodDisruptionBudgets,
 * Pod Security admission is enforced, and pods can be kept from ever becoming Ready.
 */
@LocalCluster
class LocalClusterIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String IMAGE = "registry.invalid/proxysql:2.7.0";

  @Test
  void statefulSetPodsAreCreatedByTheControllerScheduledOntoKwokNodesAndBecomeReady(
      KubernetesClient client, TestNamespace ns, TestCluster cluster) {
    StatefulSet sts = client.apps().statefulSets().resource(statefulSet("web", "RollingUpdate", IMAGE)).create();

    awaitReadyReplicas(client, "web", 3);

    Set<String> kwokNodes = client.nodes().list().getItems().stream()
        .filter(n -> "fake".equals(n.getMetadata().getAnnotations().get("kwok.x-k8s.io/node")))
        .filter(LocalClusterIT::nodeReady)
        .map(n -> n.getMetadata().getName())
        .collect(Collectors.toSet());
    assertThat(kwokNodes).as("Ready kwok nodes").hasSizeGreaterThanOrEqualTo(3);

    List<Pod> pods = client.pods().withLabel("app", "web").list().getItems();
    assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("web-0", "web-1", "web-2");
    for (Pod pod : pods) {
      OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getKind()).isEqualTo("StatefulSet");
      assertThat(owner.getUid()).isEqualTo(sts.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(pod.getSpec().getNodeName()).as("node of %s", Pods.describe(pod)).isIn(kwokNodes);
      assertThat(Pods.condition(pod, "PodScheduled")).contains("True");
      assertThat(Pods.isRunning(pod)).as("running: %s", Pods.describe(pod)).isTrue();
      assertThat(Pods.isReady(pod)).as("ready: %s", Pods.describe(pod)).isTrue();
      assertThat(pod.getStatus().getPodIP()).isNotBlank();
    }

    // Who did it, according to the API server: the StatefulSet controller created the pods and the
    // scheduler bound them.
    cluster.auditLog().ifPresent(audit -> {
      List<AuditLog.Event> events = Await.until(TIMEOUT, "audit events for the 3 pods and their bindings",
          () -> audit.inNamespace(ns.name()),
          es -> es.stream().filter(e -> "binding".equals(e.subresource())).count() == 3);
      assertThat(events).filteredOn(e -> "create".equals(e.verb()) && "pods".equals(e.resource())
              && e.subresource() == null)
          .extracting(AuditLog.Event::name).containsExactlyInAnyOrder("web-0", "web-1", "web-2");
      assertThat(events).filteredOn(e -> "create".equals(e.verb()) && "pods".equals(e.resource())
              && e.subresource() == null)
          .allSatisfy(e -> assertThat(e.userAgent()).startsWith("kube-controller-manager/")
              .endsWith("/statefulset-controller"));
      assertThat(events).filteredOn(e -> "binding".equals(e.subresource()))
          .allSatisfy(e -> assertThat(e.userAgent()).startsWith("kube-scheduler/"));
    });
  }

  @Test
  void evictingAPodOfAnOnDeleteStatefulSetRecreatesItWithTheNewRevision(KubernetesClient client) {
    client.apps().statefulSets().resource(statefulSet("db", "OnDelete", IMAGE)).create();
    awaitReadyReplicas(client, "db", 3);
    Map<String, Pod> before = podsByName(client, "db");
    String oldRevision = before.get("db-1").getMetadata().getLabels().get("controller-revision-hash");

    client.apps().statefulSets().withName("db").edit(s -> new StatefulSetBuilder(s).editSpec().editTemplate()
        .editSpec().editFirstContainer().withImage("registry.invalid/proxysql:2.7.1").endContainer().endSpec()
        .endTemplate().endSpec().build());
    StatefulSet updated = Await.until(TIMEOUT, "StatefulSet db to compute its update revision",
        () -> client.apps().statefulSets().withName("db").get(),
        s -> s.getStatus().getUpdateRevision() != null && !s.getStatus().getUpdateRevision().equals(oldRevision));
    String newRevision = updated.getStatus().getUpdateRevision();
    // OnDelete: nothing is replaced by the update itself.
    assertThat(podsByName(client, "db").values()).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
        .containsEntry("controller-revision-hash", oldRevision));

    assertThat(client.pods().withName("db-1").evict(eviction(client, "db-1")))
        .as("eviction of db-1 accepted").isTrue();

    String oldUid = before.get("db-1").getMetadata().getUid();
    Pod replaced = Await.until(TIMEOUT, "db-1 to be replaced by a Ready pod of revision " + newRevision,
        () -> client.pods().withName("db-1").get(),
        p -> p != null && !p.getMetadata().getUid().equals(oldUid) && Pods.isReady(p));
    assertThat(replaced.getMetadata().getLabels()).containsEntry("controller-revision-hash", newRevision);
    assertThat(replaced.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.invalid/proxysql:2.7.1");
    // The other pods were left alone.
    Map<String, Pod> after = podsByName(client, "db");
    for (String name : List.of("db-0", "db-2")) {
      assertThat(after.get(name).getMetadata().getUid()).isEqualTo(before.get(name).getMetadata().getUid());
      assertThat(after.get(name).getMetadata().getLabels()).containsEntry("controller-revision-hash", oldRevision);
    }
  }

  @Test
  void podDisruptionBudgetRejectsASecondEvictionWhileAPodIsNotReady(KubernetesClient client, TestNamespace ns,
      TestCluster cluster) {
    client.apps().statefulSets().resource(statefulSet("px", "OnDelete", IMAGE)).create();
    client.policy().v1().podDisruptionBudget().resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName("px").endMetadata()
        .withNewSpec().withMaxUnavailable(new IntOrString(1))
        .withNewSelector().addToMatchLabels("app", "px").endSelector().endSpec()
        .build()).create();
    awaitReadyReplicas(client, "px", 3);
    awaitPdb(client, "px", 3, 1);

    // The next revision can never become Ready, so a pod replaced by it stays unavailable.
    client.apps().statefulSets().withName("px").edit(s -> new StatefulSetBuilder(s).editSpec().editTemplate()
        .editSpec().editFirstContainer().withImage(TestCluster.NEVER_READY_IMAGE).endContainer().endSpec()
        .endTemplate().endSpec().build());
    String px0Uid = client.pods().withName("px-0").get().getMetadata().getUid();

    assertThat(client.pods().withName("px-0").evict(eviction(client, "px-0"))).as("first eviction accepted").isTrue();
    Pod replacement = Await.until(TIMEOUT, "px-0 to be replaced by a running pod of the never-ready revision",
        () -> client.pods().withName("px-0").get(),
        p -> p != null && !p.getMetadata().getUid().equals(px0Uid) && Pods.isRunning(p));
    assertThat(Pods.isReady(replacement)).as("replacement ready: %s", Pods.describe(replacement)).isFalse();
    // Not just "not Ready yet": it stays so for much longer than the cluster's pod start-up delay.
    Await.holds(Duration.ofSeconds(2), "replacement px-0 to stay not Ready",
        () -> !Pods.isReady(client.pods().withName("px-0").get()));
    awaitPdb(client, "px", 2, 0);

    String px1Uid = client.pods().withName("px-1").get().getMetadata().getUid();
    // evict() returns false exactly when the API answers 429 Too Many Requests (any other error is thrown).
    assertThat(client.pods().withName("px-1").evict(eviction(client, "px-1")))
        .as("second eviction while px-0 is not ready").isFalse();
    Pod px1 = client.pods().withName("px-1").get();
    assertThat(px1.getMetadata().getUid()).isEqualTo(px1Uid);
    assertThat(Pods.isTerminating(px1)).isFalse();
    assertThat(client.policy().v1().podDisruptionBudget().withName("px").get().getStatus().getDisruptionsAllowed())
        .isZero();

    cluster.auditLog().ifPresent(audit -> Await.until(TIMEOUT, "the audit log to record the eviction of px-1 as 429",
        () -> audit.inNamespace(ns.name()).stream().anyMatch(e -> "eviction".equals(e.subresource())
            && "px-1".equals(e.name()) && e.code() == 429)));
  }

  @Test
  void podWithANeverReadyImageRunsButNeverBecomesReady(KubernetesClient client) {
    client.pods().resource(pod("stuck", TestCluster.NEVER_READY_IMAGE)).create();
    client.pods().resource(pod("control", IMAGE)).create();

    // Both pods went through the same stages; once the control pod is Ready, the other had its chance.
    Await.until(TIMEOUT, "control pod to be Ready", () -> client.pods().withName("control").get(), Pods::isReady);
    Pod stuck = Await.until(TIMEOUT, "pod stuck to be Running", () -> client.pods().withName("stuck").get(),
        Pods::isRunning);
    assertThat(stuck.getSpec().getNodeName()).isNotBlank();
    assertThat(stuck.getStatus().getPodIP()).isNotBlank();
    assertThat(Pods.condition(stuck, "Ready")).contains("False");
    assertThat(Pods.condition(stuck, "ContainersReady")).contains("False");
    Await.holds(Duration.ofSeconds(2), "pod stuck to stay not Ready",
        () -> !Pods.isReady(client.pods().withName("stuck").get()));
  }

  @Test
  @NamespaceLabels({"pod-security.kubernetes.io/enforce=restricted",
      "pod-security.kubernetes.io/enforce-version=latest"})
  void restrictedPodSecurityRejectsAPrivilegedPodAndAdmitsACompliantOne(KubernetesClient client) {
    Pod privileged = new PodBuilder(pod("privileged", IMAGE)).editSpec().editFirstContainer()
        .withNewSecurityContext().withPrivileged(true).endSecurityContext().endContainer().endSpec().build();
    assertThatThrownBy(() -> client.pods().resource(privileged).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("violates PodSecurity \"restricted:latest\"").contains("privileged");
        });
    assertThat(client.pods().withName("privileged").get()).isNull();

    Pod compliant = new PodBuilder(pod("compliant", IMAGE)).editSpec()
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1000L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .editFirstContainer().withNewSecurityContext().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext().endContainer()
        .endSpec().build();
    client.pods().resource(compliant).create();
    Await.until(TIMEOUT, "compliant pod to be Ready", () -> client.pods().withName("compliant").get(), Pods::isReady);
  }

  @Test
  void auditLogCountsWritesByUserAgent(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
    assumeTrue(cluster.auditLog().isPresent(), "the cluster runs without an audit log");
    AuditLog audit = cluster.auditLog().get();
    String agent = "proxysql-it-audit-probe/1.0";
    try (KubernetesClient probe = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(agent).build())
        .withHttpClientFactory(new JdkHttpClientFactory()).build()) {
      var cm = probe.configMaps().inNamespace(ns.name());
      cm.resource(new ConfigMapBuilder().withNewMetadata().withName("probe").endMetadata()
          .addToData("k", "1").build()).create();
      cm.withName("probe").get(); // reads are not audited
      cm.withName("probe").edit(c -> new ConfigMapBuilder(c).addToData("k", "2").build());
      cm.withName("probe").delete();
    }
    List<AuditLog.Event> writes = Await.until(TIMEOUT, "3 audited writes by " + agent,
        () -> audit.inNamespace(ns.name()).stream().filter(e -> e.userAgentStartsWith(agent)).toList(),
        es -> es.size() >= 3);
    assertThat(writes).extracting(AuditLog.Event::verb).containsExactly("create", "patch", "delete");
    assertThat(writes).allSatisfy(e -> assertThat(e.resource()).isEqualTo("configmaps"));
  }

  private static StatefulSet statefulSet(String name, String updateStrategy, String image) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withServiceName(name)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewUpdateStrategy().withType(updateStrategy).endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("proxysql").withImage(image).endContainer().endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Pod pod(String name, String image) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage(image).endContainer().endSpec()
        .build();
  }

  private static Eviction eviction(KubernetesClient client, String pod) {
    return new EvictionBuilder().withNewMetadata().withName(pod).withNamespace(client.getNamespace()).endMetadata()
        .build();
  }

  private static void awaitReadyReplicas(KubernetesClient client, String name, int replicas) {
    Await.until(TIMEOUT, "StatefulSet " + name + " to have " + replicas + " ready replicas",
        () -> client.apps().statefulSets().withName(name).get(),
        s -> s.getStatus() != null && Integer.valueOf(replicas).equals(s.getStatus().getReadyReplicas()));
  }

  private static PodDisruptionBudget awaitPdb(KubernetesClient client, String name, int healthy, int allowed) {
    return Await.until(TIMEOUT, "PDB " + name + " to see " + healthy + " healthy pods and allow " + allowed
            + " disruption(s)",
        () -> client.policy().v1().podDisruptionBudget().withName(name).get(),
        p -> p.getStatus() != null && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration())
            && p.getStatus().getCurrentHealthy() == healthy && p.getStatus().getDisruptionsAllowed() == allowed);
  }

  private static Map<String, Pod> podsByName(KubernetesClient client, String app) {
    return client.pods().withLabel("app", app).list().getItems().stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
  }

  private static boolean nodeReady(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
