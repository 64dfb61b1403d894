package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.topology.KubeDbLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The ProxySQL's pods that are Ready and not terminating, by name. Read with one LIST when users are synced (not
 * from an informer: the provisioner otherwise never needs pods, and a pod cache would hold every pod of the cluster
 * that carries KubeDB's labels).
 */
final class ReadyPods {
    private ReadyPods() {
    }

    static List<String> names(KubernetesClient client, ProxySQL p) {
        return client.pods().inNamespace(p.getMetadata().getNamespace()).withLabels(KubeDbLabels.selector(p.getMetadata().getName()))
                .list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && ready(pod))
                .map(pod -> pod.getMetadata().getName()).sorted().toList();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
