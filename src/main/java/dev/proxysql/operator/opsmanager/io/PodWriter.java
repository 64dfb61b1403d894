package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.topology.ClientServiceMembership;
import dev.proxysql.operator.topology.KubeDbLabels;
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
import java.util.List;

/**
 * The ops manager's writes to pods: an eviction by UID, and a leaving pod taken out of the client Service and put back.
 * Reads only what a write needs ({@link PodObserver} observes).
 */
public final class PodWriter {
    private final KubernetesClient client;
    /** The same client without the HTTP layer's automatic retries; see {@link #evict}. */
    private final KubernetesClient evictions;

    public PodWriter(KubernetesClient client) {
        this.client = client;
        this.evictions = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build()).adapt(KubernetesClient.class);
    }

    /** What became of an eviction request. */
    public enum Eviction {
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
    public Eviction evict(String namespace, String pod, String uid) {
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

    /** Takes {@code pod} out of the client Service ({@link ClientServiceMembership}); a pod already gone is left alone. */
    public void leaveClientService(String namespace, String pod, Instant now) {
        patch(namespace, pod, ClientServiceMembership.leavePatch(now));
    }

    /** Puts {@code pod} back into the client Service; a pod already gone is left alone. */
    public void returnToClientService(String namespace, String pod) {
        patch(namespace, pod, ClientServiceMembership.returnPatch());
    }

    /**
     * Puts every live pod of {@code p} that a HorizontalScaling took out of the client Service back into it; returns their
     * names. Called when no scaling runs any more (its Resuming step, an orphaned pause resumed): whatever left a pod
     * out (a rollback that failed, a request whose finalizer was removed), a pod that stays a member must not stay
     * invisible to clients while the ProxySQL reports Ready. A pod that does not accept clients yet is then taken out
     * by its readiness probe, and comes back by itself once it does.
     */
    public List<String> returnAllToClientService(ProxySQL p) {
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

    private void patch(String namespace, String pod, String mergePatch) {
        try {
            client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
