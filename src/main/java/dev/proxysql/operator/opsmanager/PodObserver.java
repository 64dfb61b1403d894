package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.rolling.ObservedPod;
import dev.proxysql.operator.topology.ClientServiceMembership;
import dev.proxysql.operator.topology.KubeDbLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a ProxySQL's pods straight from the API server (not a cache: the engine's exactly-once promise should not
 * rest on how fresh an informer is) and evicts one by UID; takes a leaving pod out of the client Service and back.
 */
final class PodObserver {
    static final String REVISION_LABEL = "controller-revision-hash";
    private final KubernetesClient client;
    /** The same client without the HTTP layer's automatic retries; see {@link #evict}. */
    private final KubernetesClient evictions;

    PodObserver(KubernetesClient client) {
        this.client = client;
        this.evictions = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build()).adapt(KubernetesClient.class);
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

    /** What became of an eviction request. */
    enum Eviction {
        /** The API server accepted it: the pod is terminating. */
        EVICTED,
        /** 429: a PodDisruptionBudget allows no disruption now. */
        REFUSED,
        /** 404 or 409: the pod is already gone, or was replaced (its UID changed); the next observation tells. */
        GONE
    }

    /**
     * Evicts the pod only if it still has {@code uid}. Sent once: fabric8 would otherwise repeat the request after a
     * client-side timeout (the API server may still have carried out the first) and after every 429 for about 20 s.
     * Either way the next pass of the engine observes the pod and decides again: wait if it is terminating, evict again
     * if it is not. A timeout surfaces as an exception, which the state machine retries like any refused write.
     */
    Eviction evict(String namespace, String pod, String uid) {
        try {
            // fabric8 answers false for a 429 and throws for any other refusal.
            boolean accepted = evictions.pods().inNamespace(namespace).withName(pod).evict(new EvictionBuilder()
                    .withNewMetadata().withName(pod).withNamespace(namespace).endMetadata()
                    .withDeleteOptions(new DeleteOptionsBuilder().withNewPreconditions().withUid(uid).endPreconditions().build())
                    .build());
            return accepted ? Eviction.EVICTED : Eviction.REFUSED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 429) {
                return Eviction.REFUSED;
            }
            if (e.getCode() == 404 || e.getCode() == 409) {
                return Eviction.GONE;
            }
            throw e;
        }
    }

    /** The pod {@code name} as the API server has it now, or empty. */
    Optional<Pod> pod(String namespace, String name) {
        return client.pods().inNamespace(namespace).withField("metadata.name", name).list().getItems().stream().findFirst();
    }

    /** Takes {@code pod} out of the client Service ({@link ClientServiceMembership}); a pod already gone is left alone. */
    void leaveClientService(String namespace, String pod, Instant now) {
        patch(namespace, pod, ClientServiceMembership.leavePatch(now));
    }

    /** Puts {@code pod} back into the client Service; a pod already gone is left alone. */
    void returnToClientService(String namespace, String pod) {
        patch(namespace, pod, ClientServiceMembership.returnPatch());
    }

    /**
     * Puts every live pod of {@code p} that a HorizontalScaling took out of the client Service back into it; returns their
     * names. Called when no scaling runs any more (its Resuming step, an orphaned pause resumed): whatever left a pod
     * out (a rollback that failed, a request whose finalizer was removed), a pod that stays a member must not stay
     * invisible to clients while the ProxySQL reports Ready. A pod that does not accept clients yet is then taken out
     * by its readiness probe, and comes back by itself once it does.
     */
    List<String> returnAllToClientService(ProxySQL p) {
        String ns = p.getMetadata().getNamespace();
        List<String> returned = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(ns).withLabels(KubeDbLabels.selector(p.getMetadata().getName())).list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() == null && !ClientServiceMembership.selects(pod)) {
                returnToClientService(ns, pod.getMetadata().getName());
                returned.add(pod.getMetadata().getName());
            }
        }
        return returned;
    }

    /** Whether an EndpointSlice of {@code service} still lists {@code pod} as an endpoint kube-proxy may send clients to. */
    boolean inEndpoints(String namespace, String service, String pod) {
        return client.discovery().v1().endpointSlices().inNamespace(namespace).withLabel("kubernetes.io/service-name", service).list()
                .getItems().stream().filter(s -> s.getEndpoints() != null).flatMap(s -> s.getEndpoints().stream())
                .anyMatch(e -> e.getTargetRef() != null && pod.equals(e.getTargetRef().getName())
                        && (e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady())));
    }

    private void patch(String namespace, String pod, String mergePatch) {
        try {
            client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
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
