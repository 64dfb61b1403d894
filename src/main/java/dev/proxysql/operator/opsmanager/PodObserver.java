package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.KubeDbLabels;
import dev.proxysql.operator.opsmanager.rolling.ObservedPod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a ProxySQL's pods straight from the API server (not a cache: the engine's exactly-once promise should not
 * rest on how fresh an informer is) and evicts one by UID.
 */
final class PodObserver {
    static final String REVISION_LABEL = "controller-revision-hash";
    private final KubernetesClient client;

    PodObserver(KubernetesClient client) {
        this.client = client;
    }

    Map<String, ObservedPod> observe(ProxySQL p) {
        Map<String, ObservedPod> pods = new LinkedHashMap<>();
        for (Pod pod : client.pods().inNamespace(p.getMetadata().getNamespace())
                .withLabels(KubeDbLabels.selector(p.getMetadata().getName())).list().getItems()) {
            String name = pod.getMetadata().getName();
            Map<String, String> images = new LinkedHashMap<>();
            for (Container c : pod.getSpec().getContainers()) {
                images.put(c.getName(), c.getImage());
            }
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                    .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            pods.put(name, new ObservedPod(name, ordinal(name), pod.getMetadata().getUid(),
                    pod.getMetadata().getDeletionTimestamp() != null, ready,
                    pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(REVISION_LABEL), images));
        }
        return pods;
    }

    /**
     * Evicts the pod only if it still has {@code uid}. Returns false when the eviction was refused (the
     * PodDisruptionBudget allows no disruption now: 429) or the pod is already gone or replaced (404, 409): the next
     * observation tells what happened.
     */
    boolean evict(String namespace, String pod, String uid) {
        try {
            return client.pods().inNamespace(namespace).withName(pod).evict(new EvictionBuilder()
                    .withNewMetadata().withName(pod).withNamespace(namespace).endMetadata()
                    .withDeleteOptions(new DeleteOptionsBuilder().withNewPreconditions().withUid(uid).endPreconditions().build())
                    .build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409 || e.getCode() == 429) {
                return false;
            }
            throw e;
        }
    }

    static int ordinal(String podName) {
        int dash = podName.lastIndexOf('-');
        try {
            return Integer.parseInt(podName.substring(dash + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
