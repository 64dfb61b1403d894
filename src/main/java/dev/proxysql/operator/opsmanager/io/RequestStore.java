package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Persists an ops request's status and its finalizer. Status writes carry the resourceVersion the decision was made
 * on: if anything changed the request meanwhile (another operator replica, a stale cache), the write fails with a
 * conflict and the step is decided again on fresh state instead of acting on an old view.
 */
public final class RequestStore {
    public static final String FINALIZER = "ops.kubedb.com/proxysql-ops-manager";
    private final KubernetesClient client;

    public RequestStore(KubernetesClient client) {
        this.client = client;
    }

    public ProxySQLOpsRequest saveStatus(ProxySQLOpsRequest r) {
        return client.resources(ProxySQLOpsRequest.class).inNamespace(r.getMetadata().getNamespace()).resource(r).updateStatus();
    }

    /**
     * The finalizer is held only while the request runs, so a finished request deletes without the operator. Returns
     * the stored request (new resourceVersion) carrying the caller's in-memory status, which is not saved yet.
     */
    public ProxySQLOpsRequest addFinalizer(ProxySQLOpsRequest r) {
        if (hasFinalizer(r)) {
            return r;
        }
        ProxySQLOpsRequest stored = client.resources(ProxySQLOpsRequest.class).inNamespace(r.getMetadata().getNamespace()).resource(r)
                .edit(x -> {
                    List<String> f = new ArrayList<>(x.getMetadata().getFinalizers() == null ? List.of() : x.getMetadata().getFinalizers());
                    f.add(FINALIZER);
                    x.getMetadata().setFinalizers(f);
                    return x;
                });
        stored.setStatus(r.getStatus());
        return stored;
    }

    public void removeFinalizer(ProxySQLOpsRequest r) {
        if (!hasFinalizer(r)) {
            return;
        }
        client.resources(ProxySQLOpsRequest.class).inNamespace(r.getMetadata().getNamespace()).withName(r.getMetadata().getName())
                .edit(x -> {
                    List<String> f = new ArrayList<>(x.getMetadata().getFinalizers());
                    f.remove(FINALIZER);
                    x.getMetadata().setFinalizers(f);
                    return x;
                });
    }

    public static boolean hasFinalizer(ProxySQLOpsRequest r) {
        return r.getMetadata().getFinalizers() != null && r.getMetadata().getFinalizers().contains(FINALIZER);
    }
}
