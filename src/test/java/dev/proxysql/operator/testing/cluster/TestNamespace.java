package dev.proxysql.operator.testing.cluster;

/**
 * The namespace created for one test: unique, deleted after the test passes, kept (and described under
 * target/cluster-logs/) when it fails.
 */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
