package dev.proxysql.operator.opsmanager.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.queue.Ownership;
import dev.proxysql.operator.opsmanager.queue.Ownership.Holder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes and gives back a ProxySQL's {@link Ownership} record, read live and written conditionally, so that the API
 * server decides between two requests that try at once: a free record is taken by a merge patch carrying the
 * resourceVersion just read (409 if anything changed the ProxySQL meanwhile: read again), a stale one by a JSON patch
 * that first tests the stale value (422 if another request took it first), and a request gives it back by a JSON patch
 * that tests that it still names it.
 */
public final class ProxySQLOwnership {
    /** Reads and tries again after a conflict at most this often in one pass; the queue looks again soon after. */
    static final int ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ProxySQLOwnership.class);
    private static final String PATH = "/metadata/annotations/" + Ownership.ANNOTATION.replace("~", "~0").replace("/", "~1");
    private final KubernetesClient client;

    public ProxySQLOwnership(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Makes {@code r} the holder of its ProxySQL; empty when it is (now or already), else the request that holds it (or
     * "another request" when the ProxySQL kept changing under the attempts).
     */
    public Optional<String> take(ProxySQLOpsRequest r) {
        Holder me = Holder.of(r);
        String namespace = r.getMetadata().getNamespace();
        var proxysql = client.resources(ProxySQL.class).inNamespace(namespace).withName(r.getSpec().getProxyRef().getName());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ProxySQL live = proxysql.get();
            if (live == null) {
                return Optional.of("nobody (ProxySQL " + r.getSpec().getProxyRef().getName() + " does not exist)");
            }
            Ownership.Claim claim = Ownership.claim(Ownership.recorded(live), me, h -> running(namespace, h));
            try {
                if (claim instanceof Ownership.Mine) {
                    return Optional.empty();
                }
                if (claim instanceof Ownership.HeldBy held) {
                    return Optional.of(held.holder().name());
                }
                if (claim instanceof Ownership.Free) {
                    Map<String, Object> metadata = Map.of("resourceVersion", live.getMetadata().getResourceVersion(),
                            "annotations", Map.of(Ownership.ANNOTATION, me.value()));
                    proxysql.patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(Map.of("metadata", metadata)));
                } else {
                    String previous = ((Ownership.Stale) claim).previous();
                    proxysql.patch(PatchContext.of(PatchType.JSON), JSON.writeValueAsString(List.of(
                            Map.of("op", "test", "path", PATH, "value", previous),
                            Map.of("op", "replace", "path", PATH, "value", me.value()))));
                }
                return Optional.empty();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 422) {
                    throw e;
                }
                // Someone wrote the ProxySQL (or took the record) since it was read: decide again on a fresh read.
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return Optional.of("another request");
    }

    /** Gives the record back if it still names {@code r}; a record naming another request, or none, is left alone. */
    public void release(ProxySQLOpsRequest r) {
        try {
            client.resources(ProxySQL.class).inNamespace(r.getMetadata().getNamespace()).withName(r.getSpec().getProxyRef().getName())
                    .patch(PatchContext.of(PatchType.JSON), JSON.writeValueAsString(List.of(
                            Map.of("op", "test", "path", PATH, "value", Holder.of(r).value()),
                            Map.of("op", "remove", "path", PATH))));
        } catch (KubernetesClientException e) {
            // 404: the ProxySQL is gone; 422: the record names another request, or none. Anything else (a policy
            // refusing the write) must not hold back a request that has ended: the record left behind names a finished
            // request, which the next one takes over.
            if (e.getCode() != 404 && e.getCode() != 422) {
                LOG.warn("ProxySQLOpsRequest {}/{}: could not give ProxySQL {} back ({}); the next request takes it over", r.getMetadata().getNamespace(),
                        r.getMetadata().getName(), r.getSpec().getProxyRef().getName(), e.getMessage());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the named request exists with that UID and has no final phase: a live read, not the informer's. */
    private boolean running(String namespace, Holder h) {
        ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).inNamespace(namespace).withName(h.name()).get();
        return r != null && h.uid().equals(r.getMetadata().getUid())
                && (r.getStatus() == null || r.getStatus().getPhase() == null || !r.getStatus().getPhase().isFinal());
    }
}
