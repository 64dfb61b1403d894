package dev.proxysql.operator.testing.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Optional;

/** Reading pod status the way controllers do. */
public final class Pods {

  private Pods() {
  }

  /** The status of a pod condition ("True", "False", "Unknown"), if the condition is present. */
  public static Optional<String> condition(Pod pod, String type) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(PodCondition::getStatus)
        .findFirst();
  }

  public static boolean isReady(Pod pod) {
    return condition(pod, "Ready").filter("True"::equals).isPresent();
  }

  public static boolean isRunning(Pod pod) {
    return pod != null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  public static boolean isTerminating(Pod pod) {
    return pod != null && pod.getMetadata().getDeletionTimestamp() != null;
  }

  public static String describe(Pod pod) {
    if (pod == null) {
      return "<no pod>";
    }
    return pod.getMetadata().getName() + "{uid=" + pod.getMetadata().getUid()
        + ", phase=" + (pod.getStatus() == null ? null : pod.getStatus().getPhase())
        + ", ready=" + condition(pod, "Ready").orElse("-")
        + ", node=" + pod.getSpec().getNodeName()
        + ", terminating=" + isTerminating(pod) + "}";
  }
}
