package dev.proxysql.operator.testing.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test JVM's cluster: started (or found) once, shared by all test classes of the JVM (a Failsafe fork), and
 * stopped when the JVM exits (LocalClusterExtension's shutdown hook), whether tests passed or not. A JVM killed before
 * that is covered by cluster.sh's watchdog (CLUSTER_OWNER_PID) and, failing that, by the next run recreating the
 * cluster of the same name.
 */
final class ClusterSession implements AutoCloseable {

  /** Kubeconfig of an existing cluster to use instead of starting one. */
  static final String ENV_KUBECONFIG = "PROXYSQL_TEST_KUBECONFIG";
  /** Audit log path of that existing cluster, if it has one. */
  static final String ENV_AUDIT_LOG = "PROXYSQL_TEST_AUDIT_LOG";
  /**
   * Name of the managed cluster (default: it-&lt;hash of the repository path&gt;, so worktrees do not clash); each
   * failsafe fork adds its number ({@link #FORK_PROPERTY}), so forks running at once never share a cluster.
   */
  static final String ENV_CLUSTER_NAME = "PROXYSQL_TEST_CLUSTER";
  /**
   * System property the pom sets to failsafe's fork number (f1, f2, ...): one cluster per fork. The operators under test
   * watch every namespace and the tests install cluster-scoped objects (CRDs, the catalog, webhook configurations), so
   * two test classes must never run against one cluster at the same time.
   */
  static final String FORK_PROPERTY = "proxysql.test.fork";
  /** 1 = leave the managed cluster running after the run, for inspection (the next run recreates it). */
  static final String ENV_KEEP_CLUSTER = "PROXYSQL_TEST_KEEP_CLUSTER";

  private static final Duration CLUSTER_UP_TIMEOUT = Duration.ofMinutes(60); // includes a first build
  private static final Duration CLUSTER_DOWN_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration CRD_ESTABLISHED_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration NAMESPACE_READY_TIMEOUT = Duration.ofSeconds(30);

  static final String RUN_LABEL = "proxysql.dev/test-run";
  static final String TEST_ANNOTATION = "proxysql.dev/test";

  private final Path projectDir;
  private final TestCluster cluster;
  private final ClusterScript script;
  private final KubernetesClient client;
  private final String runId;
  private final boolean keepCluster;
  private final AtomicInteger failures = new AtomicInteger();

  private ClusterSession(Path projectDir, TestCluster cluster, ClusterScript script, boolean keepCluster) {
    this.projectDir = projectDir;
    this.cluster = cluster;
    this.script = script;
    this.keepCluster = keepCluster;
    this.runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + randomSuffix(4);
    Config config = new ConfigBuilder(Config.fromKubeconfig(cluster.kubeconfig().toFile()))
        // Tests must see the API's answers as they are (e.g. a 429 from an eviction), not retried ones.
        .withRequestRetryBackoffLimit(0)
        .build();
    // The JDK HTTP client, the only implementation on the class path (the pom excludes Vert.x), named explicitly.
    this.client = new KubernetesClientBuilder().withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  static ClusterSession start() {
    Path projectDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    String kubeconfig = System.getenv(ENV_KUBECONFIG);
    ClusterSession session;
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      if (!forkSuffix().isEmpty() && !forkSuffix().equals("-f1")) {
        // A second fork exists: it would share that one cluster with the first (their operators watch every namespace).
        throw new IllegalStateException(ENV_KUBECONFIG + " names one existing cluster, but the tests run in several "
            + "forks, which must not share a cluster: run them with -Dit.forks=1");
      }
      Path path = Path.of(kubeconfig);
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(ENV_KUBECONFIG + "=" + kubeconfig + " is not a file");
      }
      Optional<AuditLog> audit = Optional.ofNullable(System.getenv(ENV_AUDIT_LOG)).filter(s -> !s.isBlank())
          .map(Path::of).map(AuditLog::new);
      log("using the existing cluster of " + ENV_KUBECONFIG + "=" + path);
      session = new ClusterSession(projectDir, new TestCluster(Optional.empty(), path, Optional.empty(), audit),
          null, true);
    } else {
      session = startManaged(projectDir);
    }
    try {
      session.installCrds();
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static ClusterSession startManaged(Path projectDir) {
    ClusterScript script = ClusterScript.find(projectDir);
    String name = Optional.ofNullable(System.getenv(ENV_CLUSTER_NAME)).filter(s -> !s.isBlank())
        .orElseGet(() -> "it-" + shortHash(script.repositoryRoot().toString())) + forkSuffix();
    boolean keep = "1".equals(System.getenv(ENV_KEEP_CLUSTER)) || "true".equals(System.getenv(ENV_KEEP_CLUSTER));
    Map<String, String> env = new java.util.HashMap<>();
    // A fresh cluster per run: nothing left over from an earlier (maybe killed) run can leak into this one.
    env.put("CLUSTER_RECREATE", "1");
    if (System.getenv("CLUSTER_AUDIT") == null) {
      env.put("CLUSTER_AUDIT", "1");
    }
    if (!keep) {
      env.put("CLUSTER_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
    }
    log("starting local cluster '" + name + "' with " + ClusterScript.RELATIVE_PATH
        + " (the very first run compiles the control plane from source, which takes a long while)");
    long started = System.nanoTime();
    ClusterScript.Result up = script.run(env, CLUSTER_UP_TIMEOUT, "up", name);
    if (up.exitCode() != 0) {
      throw new IllegalStateException(ClusterScript.RELATIVE_PATH + " up " + name + " failed (exit " + up.exitCode()
          + "); its messages are above");
    }
    Path kubeconfig = Path.of(up.lastLine());
    Optional<Path> logDir = oneLine(script.run(Map.of(), Duration.ofSeconds(30), "logdir", name)).map(Path::of);
    Optional<AuditLog> audit = oneLine(script.run(Map.of(), Duration.ofSeconds(30), "audit-log", name))
        .map(Path::of).map(AuditLog::new);
    log(String.format("cluster '%s' ready after %.1fs; kubeconfig %s%s", name, (System.nanoTime() - started) / 1e9,
        kubeconfig, audit.map(a -> "; audit log " + a.path()).orElse("")));
    return new ClusterSession(projectDir, new TestCluster(Optional.of(name), kubeconfig, logDir, audit), script, keep);
  }

  /** "-f&lt;n&gt;" in failsafe fork n, empty outside failsafe's forks (an IDE, a single JVM). */
  static String forkSuffix() {
    String fork = System.getProperty(FORK_PROPERTY, "");
    if (fork.isBlank() || fork.contains("$")) {
      return "";
    }
    if (!fork.matches("f[0-9]{1,3}")) {
      throw new IllegalStateException("-D" + FORK_PROPERTY + " must be f<fork number>, got '" + fork + "'");
    }
    return "-" + fork;
  }

  private static Optional<String> oneLine(ClusterScript.Result r) {
    return r.exitCode() == 0 && !r.lastLine().isBlank() ? Optional.of(r.lastLine()) : Optional.empty();
  }

  TestCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  /** A view of the shared client whose default namespace is {@code namespace} (do not close it). */
  KubernetesClient client(String namespace) {
    return client.adapt(NamespacedKubernetesClient.class).inNamespace(namespace);
  }

  Path projectDir() {
    return projectDir;
  }

  /**
   * Installs the CRDs that fabric8's crd-generator wrote into target/classes/META-INF/fabric8/ and waits
   * until the API serves them. There may be none yet.
   */
  private void installCrds() {
    Path dir = projectDir.resolve("target/classes/META-INF/fabric8");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (var stream = Files.list(dir)) {
        stream.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().forEach(files::add);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot list " + dir, e);
      }
    }
    if (files.isEmpty()) {
      log("no CRDs to install (no *.yml in " + dir + ")");
      return;
    }
    List<String> names = new ArrayList<>();
    for (Path file : files) {
      Object parsed;
      try (var in = Files.newInputStream(file)) {
        parsed = client.getKubernetesSerialization().unmarshal(in);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + file, e);
      }
      if (!(parsed instanceof CustomResourceDefinition crd)) {
        log("skipping " + file.getFileName() + ": not an apiextensions.k8s.io/v1 CustomResourceDefinition");
        continue;
      }
      crd.getMetadata().setResourceVersion(null);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
      names.add(crd.getMetadata().getName());
    }
    for (String name : names) {
      Await.until(CRD_ESTABLISHED_TIMEOUT, "CRD " + name + " to be Established",
          () -> client.apiextensions().v1().customResourceDefinitions().withName(name).get(),
          crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
              && crd.getStatus().getConditions().stream()
                  .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
    }
    log("installed " + names.size() + " CRD(s) from " + dir + ": " + String.join(", ", names));
  }

  /** Creates a fresh namespace for a test and waits until pods can be created in it. */
  TestNamespace createNamespace(String testId, String hint, Map<String, String> labels) {
    String name = namespaceName(hint);
    client.namespaces().resource(new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(RUN_LABEL, runId)
        .addToLabels(labels)
        .addToAnnotations(TEST_ANNOTATION, testId)
        .endMetadata()
        .build()).create();
    // The ServiceAccount admission plugin rejects pods until the namespace's default ServiceAccount exists.
    Await.present(NAMESPACE_READY_TIMEOUT, "ServiceAccount default in new namespace " + name,
        () -> client.serviceAccounts().inNamespace(name).withName("default").get());
    return new TestNamespace(name);
  }

  void deleteNamespace(TestNamespace namespace) {
    client.namespaces().withName(namespace.name()).delete();
  }

  /** Keeps a failed test's namespace and saves what is needed to understand the failure. */
  Path keepForDiagnosis(TestNamespace namespace, String testId, Throwable failure) {
    failures.incrementAndGet();
    Path dir = projectDir.resolve("target/cluster-logs").resolve(namespace.name());
    Diagnostics.capture(client, cluster, namespace.name(), testId, failure, dir);
    return dir;
  }

  private static String namespaceName(String hint) {
    String base = hint.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (base.length() > 40) {
      base = base.substring(0, 40).replaceAll("-+$", "");
    }
    return "t-" + (base.isEmpty() ? "test" : base) + "-" + randomSuffix(5);
  }

  private static String randomSuffix(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String shortHash(String s) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void log(String message) {
    System.err.println("[local-cluster] " + message);
  }

  @Override
  public void close() {
    client.close();
    if (script == null) {
      return;
    }
    String name = cluster.name().orElseThrow();
    if (failures.get() > 0) {
      log(failures.get() + " test(s) failed; their namespaces and cluster logs are under "
          + projectDir.resolve("target/cluster-logs"));
    }
    if (keepCluster) {
      log("leaving cluster '" + name + "' running (" + ENV_KEEP_CLUSTER + "); kubeconfig " + cluster.kubeconfig()
          + "; stop it with " + ClusterScript.RELATIVE_PATH + " down " + name);
      return;
    }
    log("stopping cluster '" + name + "'");
    ClusterScript.Result down = script.run(Map.of(), CLUSTER_DOWN_TIMEOUT, "down", name);
    if (down.exitCode() != 0) {
      log("WARNING: " + ClusterScript.RELATIVE_PATH + " down " + name + " failed (exit " + down.exitCode() + ")");
    }
  }
}
