package dev.proxysql.operator.testing.cluster;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The cluster the tests run against: a local cluster started by {@link LocalClusterExtension}
 * (hack/control-plane/cluster.sh) or, with {@code PROXYSQL_TEST_KUBECONFIG}, an existing one.
 *
 * @param name cluster.sh name of a managed cluster; empty for an existing cluster
 * @param kubeconfig kubeconfig file the clients use
 * @param logDir directory with the control-plane component logs, when known
 * @param auditLog the apiserver audit log, when the cluster runs with one
 */
public record TestCluster(Optional<String> name, Path kubeconfig, Optional<Path> logDir, Optional<AuditLog> auditLog) {

  /**
   * An image that matches the local cluster's default never-ready regex ({@code never-ready}): pods using it
   * run but never become Ready, like pods failing their readiness probe.
   */
  public static final String NEVER_READY_IMAGE = "registry.invalid/never-ready:1";

  /**
   * Pod annotation overriding, for that pod, the delay between running and becoming Ready (a Go duration
   * such as {@code "5s"}).
   */
  public static final String READY_DELAY_ANNOTATION = "kwok.proxysql.dev/ready-delay";

  /** Env var naming the webhook-client directory of an existing cluster ({@code PROXYSQL_TEST_KUBECONFIG}). */
  public static final String ENV_WEBHOOK_CLIENT_DIR = "PROXYSQL_TEST_WEBHOOK_CLIENT_DIR";

  /**
   * The directory with the identity the apiserver presents to admission webhooks: {@code ca.crt} (what the webhook
   * trusts), {@code client.crt}/{@code client.key} (CN proxysql-operator-webhook-client) and {@code ca.key} (to sign
   * other test certificates). A managed cluster has it where cluster.sh made it ({@code cluster.sh webhook-client
   * NAME}: {@code $KWOK_WORKDIR/cluster-sh/NAME/webhook-client}, next to {@code clusters/NAME/kubeconfig.yaml}); an
   * existing one only if {@value #ENV_WEBHOOK_CLIENT_DIR} names it.
   */
  public Optional<Path> webhookClientDir() {
    String env = System.getenv(ENV_WEBHOOK_CLIENT_DIR);
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    return name.map(n -> kubeconfig.toAbsolutePath().getParent().getParent().getParent().resolve("cluster-sh").resolve(n)
        .resolve("webhook-client"));
  }

  /** Whether the extension started this cluster (and will stop it). */
  public boolean managed() {
    return name.isPresent();
  }
}
