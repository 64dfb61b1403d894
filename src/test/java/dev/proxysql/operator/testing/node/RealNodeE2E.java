package dev.proxysql.operator.testing.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.testing.cluster.Await;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on a real node (hack/node/): a local cluster with no kwok nodes and one real node (containerd,
 * kubelet, kube-proxy, CoreDNS in their own network namespace), then real pods seen from this JVM: pod IPs and
 * ClusterIP Services reached over HTTP, cluster names resolved through the node's CoreDNS, logs and exec through
 * the API server.
 *
 * <p>Not part of {@code make test} (the name matches neither Surefire's nor Failsafe's patterns). Run it as root with
 * {@code mvn -B -ntp test-compile failsafe:integration-test failsafe:verify -Dit.test=RealNodeE2E} or
 * {@code make node-e2e}. It creates cluster {@value #CLUSTER} and removes it afterwards
 * ({@code PROXYSQL_TEST_KEEP_CLUSTER=1} keeps it).
 */
class RealNodeE2E {

  static final String CLUSTER = "real-node-e2e";
  private static final String NODE = "real-node";
  private static final String NODE_IP = "10.250.0.2";
  private static final String IMAGE = "localhost/busybox:local";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static RepositoryScripts scripts;
  private static KubernetesClient client;
  private static String ns;

  @BeforeAll
  static void startClusterAndNode() throws IOException {
    scripts = RepositoryScripts.find();
    // The cluster's watchdog deletes it (and with it the real node) if this JVM dies.
    String kubeconfig = RepositoryScripts.lastLine(scripts.run(Duration.ofMinutes(15),
        Map.of("CLUSTER_REAL_NODE", "1", "CLUSTER_NODES", "0",
            "CLUSTER_OWNER_PID", Long.toString(ProcessHandle.current().pid())),
        "hack/control-plane/cluster.sh", "up", CLUSTER));
    scripts.run(Duration.ofMinutes(10), Map.of(), "hack/node/node.sh", "up", CLUSTER);
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig))))
        .withHttpClientFactory(new JdkHttpClientFactory()).build();
    ns = "e2e-" + Long.toHexString(System.nanoTime() & 0xffffff);
    Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build();
    client.namespaces().resource(namespace).create();
  }

  @AfterAll
  static void stopClusterAndNode() {
    if (client != null) {
      client.close();
    }
    if (scripts != null && !"1".equals(System.getenv("PROXYSQL_TEST_KEEP_CLUSTER"))) {
      scripts.run(Duration.ofMinutes(2), Map.of(), "hack/control-plane/cluster.sh", "down", CLUSTER);
    }
  }

  @Test
  void aPodRunsOnTheRealNodeAndTheHostReachesItsIpAndItsService() throws Exception {
    Pod pod = client.pods().inNamespace(ns).resource(webPod("web", "smoke")).create();
    Service svc = client.services().inNamespace(ns).resource(new ServiceBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withSelector(Map.of("app", "web"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
        .endSpec().build()).create();

    pod = Await.until(TIMEOUT, "pod web to be Ready on " + NODE,
        () -> client.pods().inNamespace(ns).withName("web").get(), RealNodeE2E::ready);
    assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
    assertThat(pod.getStatus().getHostIP()).isEqualTo(NODE_IP);
    assertThat(pod.getStatus().getContainerStatuses().get(0).getContainerID()).startsWith("containerd://");
    String podIp = pod.getStatus().getPodIP();
    assertThat(podIp).startsWith("10.244.");

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    assertThat(Await.until(TIMEOUT, "HTTP from this JVM to the pod IP " + podIp,
        () -> get(http, "http://" + podIp + ":8080/"), body -> body.contains("hello-from-web")))
        .contains("hello-from-web");
    String clusterIp = svc.getSpec().getClusterIP();
    Await.until(TIMEOUT, "HTTP from this JVM to the ClusterIP " + clusterIp + " (kube-proxy)",
        () -> get(http, "http://" + clusterIp + "/"), body -> body.contains("hello-from-web"));

    assertThat(Await.until(TIMEOUT, "the container's log through the API server and the kubelet",
        () -> client.pods().inNamespace(ns).withName("web").getLog(), log -> log.contains("serving")))
        .contains("serving");
  }

  @Test
  void clusterNamesResolveThroughTheNodesCoreDnsFromTheHostAndFromAPod() throws Exception {
    client.services().inNamespace(ns).resource(new ServiceBuilder()
        .withNewMetadata().withName("db").endMetadata()
        .withNewSpec().withClusterIP("None").withSelector(Map.of("app", "db"))
        .addNewPort().withName("http").withPort(8080).endPort()
        .endSpec().build()).create();
    Pod db = client.pods().inNamespace(ns).resource(new PodBuilder(webPod("db-0", "db"))
        .editMetadata().withLabels(Map.of("app", "db")).endMetadata()
        .editSpec().withHostname("db-0").endSpec().build()).create();
    db = Await.until(TIMEOUT, "pod db-0 to be Ready",
        () -> client.pods().inNamespace(ns).withName("db-0").get(), RealNodeE2E::ready);
    String ip = db.getStatus().getPodIP();
    String name = "db-0.db." + ns + ".svc.cluster.local";

    Await.until(TIMEOUT, name + " to resolve to " + ip + " at the node's CoreDNS, asked from this JVM",
        () -> lookup(name), ip::equals);
    String kubernetesIp = client.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
    assertThat(lookup("kubernetes.default.svc.cluster.local")).isEqualTo(kubernetesIp);

    Await.until(TIMEOUT, name + " to resolve inside pod db-0 (exec through the API server)",
        () -> exec("db-0", "nslookup", name), out -> out.contains("Address: " + ip));
  }

  private static Pod webPod(String name, String subdomain) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec()
        .withHostname(name).withSubdomain(subdomain)
        .withNodeSelector(Map.of("kubernetes.io/hostname", NODE))
        .withTerminationGracePeriodSeconds(1L)
        .addNewContainer().withName("httpd").withImage(IMAGE).withImagePullPolicy("Never")
        .withCommand("sh", "-c",
            "echo hello-from-$(hostname) >/www/index.html && echo serving && exec httpd -f -v -p 8080 -h /www")
        .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(8080)).endTcpSocket()
        .withPeriodSeconds(1).endReadinessProbe()
        .endContainer()
        .endSpec().build();
  }

  private static boolean ready(Pod p) {
    return p != null && p.getStatus() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The A record of {@code name}, asked of the node's CoreDNS directly (JNDI's DNS provider). */
  private static String lookup(String name) {
    Hashtable<String, String> env = new Hashtable<>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    env.put("java.naming.provider.url", "dns://" + NODE_IP);
    env.put("com.sun.jndi.dns.timeout.initial", "1000");
    env.put("com.sun.jndi.dns.timeout.retries", "1");
    try {
      InitialDirContext ctx = new InitialDirContext(env);
      try {
        Attribute a = ctx.getAttributes(name, new String[] {"A"}).get("A");
        return a == null ? null : a.get().toString();
      } finally {
        ctx.close();
      }
    } catch (javax.naming.NamingException e) {
      throw new IllegalStateException("DNS lookup of " + name + " at " + NODE_IP + " failed: " + e, e);
    }
  }

  private static String exec(String pod, String... command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(ns).withName(pod).writingOutput(out).writingError(out)
        .exec(command)) {
      watch.exitCode().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("exec " + String.join(" ", command) + " in " + pod + " failed: " + e, e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

}
