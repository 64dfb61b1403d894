package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.rolling.ObservedPod;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a ProxySQL's pods straight from the API server (not a cache: the engine's exactly-once promise should not
 * rest on how fresh an informer is). It writes nothing: evictions and the client Service's label are {@link PodWriter}'s.
 */
public final class PodObserver {
    public static final String REVISION_LABEL = "controller-revision-hash";
    private final KubernetesClient client;

    public PodObserver(KubernetesClient client) {
        this.client = client;
    }

    public Map<String, ObservedPod> observe(ProxySQL p) {
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

    /** The pod {@code name} as the API server has it now, or empty. */
    public Optional<Pod> pod(String namespace, String name) {
        return client.pods().inNamespace(namespace).withField("metadata.name", name).list().getItems().stream().findFirst();
    }

    /** Whether an EndpointSlice of {@code service} still lists {@code pod} as an endpoint kube-proxy may send clients to. */
    public boolean inEndpoints(String namespace, String service, String pod) {
        return client.discovery().v1().endpointSlices().inNamespace(namespace).withLabel("kubernetes.io/service-name", service).list()
                .getItems().stream().filter(s -> s.getEndpoints() != null).flatMap(s -> s.getEndpoints().stream())
                .anyMatch(e -> e.getTargetRef() != null && pod.equals(e.getTargetRef().getName())
                        && (e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady())));
    }


    /** The names of the pods {@code p}'s spec declares (ordinals 0 to replicas-1), whether or not they exist. */
    public static List<String> declared(ProxySQL p) {
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < ProxySQLNames.replicas(p); i++) {
            pods.add(ProxySQLNames.statefulSet(p) + "-" + i);
        }
        return pods;
    }

    public static int ordinal(String podName) {
        int dash = podName.lastIndexOf('-');
        try {
            return Integer.parseInt(podName.substring(dash + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
