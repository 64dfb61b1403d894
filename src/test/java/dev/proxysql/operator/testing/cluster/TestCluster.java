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

  /** Whether the extension started this cluster (and will stop it). */
  public boolean managed() {
    return name.isPresent();
  }
}
