package dev.proxysql.operator.testing.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension (use {@link LocalCluster}) giving tests a real Kubernetes control plane.
 *
 * <ul>
 *   <li>The cluster is started once per test JVM with hack/control-plane/cluster.sh and stopped when the JVM
 *       exits, pass or fail; each Failsafe fork has its own (docs/testing.md), so test classes running at once
 *       never share one. With {@code PROXYSQL_TEST_KUBECONFIG} set, that cluster is used instead (and left alone;
 *       one fork only).</li>
 *   <li>CRDs generated into target/classes/META-INF/fabric8/ are installed once, and the run waits until they
 *       are Established.</li>
 *   <li>Every test gets a fresh namespace ({@link TestNamespace}); a passing test's namespace is deleted, a
 *       failing test's is kept, and its objects plus the cluster logs are saved under
 *       target/cluster-logs/&lt;namespace&gt;/.</li>
 *   <li>Parameters: {@link KubernetesClient} (default namespace = the test's namespace inside a test; do not
 *       close it), {@link TestNamespace}, {@link TestCluster}.</li>
 * </ul>
 */
public final class LocalClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    ParameterResolver {

  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LocalClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    session(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ClusterSession session = session(context);
    Map<String, String> labels = new LinkedHashMap<>();
    context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, NamespaceLabels.class))
        .ifPresent(a -> labels.putAll(parseLabels(a)));
    context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, NamespaceLabels.class))
        .ifPresent(a -> labels.putAll(parseLabels(a)));
    TestNamespace namespace = session.createNamespace(testId(context),
        context.getTestMethod().map(m -> m.getName()).orElse("test"), labels);
    context.getStore(STORE).put(TestNamespace.class, namespace);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace namespace = context.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
    if (namespace == null) {
      return;
    }
    ClusterSession session = session(context);
    Optional<Throwable> failure = context.getExecutionException();
    if (failure.isPresent()) {
      session.keepForDiagnosis(namespace, testId(context), failure.get());
    } else {
      session.deleteNamespace(namespace);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesClient.class || type == TestNamespace.class || type == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ClusterSession session = session(context);
    Class<?> type = parameter.getParameter().getType();
    TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    if (type == TestCluster.class) {
      return session.cluster();
    }
    if (type == KubernetesClient.class) {
      return namespace == null ? session.client() : session.client(namespace.name());
    }
    if (namespace == null) {
      throw new ParameterResolutionException("A TestNamespace exists only for a test: inject it into the test "
          + "method or a @BeforeEach/@AfterEach method, not into " + parameter.getDeclaringExecutable());
    }
    return namespace;
  }

  /** This JVM's cluster session, or why it could not start; see {@link #session}. */
  private static Object shared;

  /**
   * The JVM's cluster, started on first use and stopped when the JVM exits. Not kept in JUnit's root store: Failsafe's
   * forks take their classes one at a time from a queue and run each in a launcher execution of its own, whose root
   * store is closed after the class, which would start and stop a cluster for every class.
   */
  private static synchronized ClusterSession session(ExtensionContext context) {
    if (shared == null) {
      try {
        ClusterSession session = ClusterSession.start();
        Runtime.getRuntime().addShutdownHook(new Thread(session::close, "local-cluster-stop"));
        shared = session;
      } catch (RuntimeException e) {
        shared = new StartFailure(e);
      }
    }
    if (shared instanceof StartFailure failure) {
      throw new IllegalStateException("The local cluster could not be started in this test run", failure.error());
    }
    return (ClusterSession) shared;
  }

  /** The run's cluster, for other extensions (the in-process operator); started on first use like a parameter's. */
  public static TestCluster cluster(ExtensionContext context) {
    return session(context).cluster();
  }

  /** A client with the cluster's admin credentials and no default namespace, for other extensions. */
  public static KubernetesClient adminClient(ExtensionContext context) {
    return session(context).client();
  }

  /** Remembered so that the remaining test classes fail fast instead of each trying again. */
  private record StartFailure(RuntimeException error) {
  }

  private static String testId(ExtensionContext context) {
    return context.getTestClass().map(Class::getName).orElse("?") + "#"
        + context.getTestMethod().map(m -> m.getName()).orElse(context.getDisplayName());
  }

  private static Map<String, String> parseLabels(NamespaceLabels annotation) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String label : annotation.value()) {
      int eq = label.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("@NamespaceLabels entries must be key=value, got '" + label + "'");
      }
      labels.put(label.substring(0, eq), label.substring(eq + 1));
    }
    return labels;
  }
}
