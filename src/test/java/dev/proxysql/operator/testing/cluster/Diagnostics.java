package dev.proxysql.operator.testing.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a failed test leaves behind under target/cluster-logs/&lt;namespace&gt;/: the failure, the namespace's
 * objects as YAML (they die with the cluster at the end of the run) and a copy of the control-plane logs.
 */
final class Diagnostics {

  private Diagnostics() {
  }

  static void capture(KubernetesClient client, TestCluster cluster, String namespace, String testId,
      Throwable failure, Path dir) {
    try {
      Files.createDirectories(dir);
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      Files.writeString(dir.resolve("failure.txt"), testId + "\n\n" + trace, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("resources.yaml"), dumpNamespace(client, namespace), StandardCharsets.UTF_8);
      if (cluster.logDir().isPresent() && Files.isDirectory(cluster.logDir().get())) {
        copyDir(cluster.logDir().get(), dir.resolve("cluster-logs"));
      }
      cluster.auditLog().map(AuditLog::path).filter(Files::isRegularFile)
          .filter(p -> cluster.logDir().map(d -> !p.startsWith(d)).orElse(true))
          .ifPresent(p -> copy(p, dir.resolve("cluster-logs").resolve(p.getFileName())));
      ClusterSession.log("test " + testId + " failed: kept namespace " + namespace + "; details in " + dir);
    } catch (RuntimeException | IOException e) {
      ClusterSession.log("WARNING: could not save diagnostics of " + testId + " to " + dir + ": " + e);
    }
  }

  private static String dumpNamespace(KubernetesClient client, String ns) {
    Map<String, Supplier<KubernetesResourceList<? extends HasMetadata>>> kinds = new LinkedHashMap<>();
    kinds.put("pods", () -> client.pods().inNamespace(ns).list());
    kinds.put("statefulsets", () -> client.apps().statefulSets().inNamespace(ns).list());
    kinds.put("deployments", () -> client.apps().deployments().inNamespace(ns).list());
    kinds.put("services", () -> client.services().inNamespace(ns).list());
    kinds.put("poddisruptionbudgets", () -> client.policy().v1().podDisruptionBudget().inNamespace(ns).list());
    kinds.put("persistentvolumeclaims", () -> client.persistentVolumeClaims().inNamespace(ns).list());
    kinds.put("configmaps", () -> client.configMaps().inNamespace(ns).list());
    kinds.put("jobs", () -> client.batch().v1().jobs().inNamespace(ns).list());
    kinds.put("events", () -> client.v1().events().inNamespace(ns).list());
    StringBuilder out = new StringBuilder("# objects in namespace ").append(ns).append('\n');
    kinds.forEach((kind, list) -> append(client, out, kind, list));
    // Our own custom resources, whatever CRDs the run installed.
    try {
      for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
        if (!"Namespaced".equals(crd.getSpec().getScope())) {
          continue;
        }
        String version = crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getStorage)
            .map(CustomResourceDefinitionVersion::getName).findFirst().orElse(null);
        ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder()
            .withGroup(crd.getSpec().getGroup()).withVersion(version)
            .withPlural(crd.getSpec().getNames().getPlural()).withKind(crd.getSpec().getNames().getKind())
            .withNamespaced(true).build();
        append(client, out, crd.getMetadata().getName(),
            () -> (GenericKubernetesResourceList) client.genericKubernetesResources(ctx).inNamespace(ns).list());
      }
    } catch (RuntimeException e) {
      out.append("# custom resources: cannot list: ").append(e).append('\n');
    }
    return out.toString();
  }

  private static void append(KubernetesClient client, StringBuilder out, String kind,
      Supplier<? extends KubernetesResourceList<? extends HasMetadata>> list) {
    out.append("---\n# ").append(kind).append('\n');
    try {
      out.append(client.getKubernetesSerialization().asYaml(list.get()).replaceFirst("^---\n", ""));
    } catch (RuntimeException e) {
      out.append("# cannot list: ").append(e).append('\n');
    }
  }

  private static void copyDir(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.filter(Files::isRegularFile).forEach(f -> copy(f, to.resolve(from.relativize(f).toString())));
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
