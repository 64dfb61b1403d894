package dev.proxysql.operator.kube;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Informer caches that keep only what the operator reads from them.
 *
 * <p>Both controllers read live objects with GETs wherever they need more than metadata (the ops manager reads pods
 * and the StatefulSet live at every step; the provisioner reads the auth and monitor Secrets live), so most informers are there to
 * wake a reconcile and to find an owned child and its desired-state hash. Keeping whole objects in them would hold
 * every pod spec, every StatefulSet template and every Secret's data in memory, twice where both controllers watch
 * the same kind: at 1,000 ProxySQLs that is most of the operator's heap. Events are unaffected: an informer hands the
 * full new object to its event handlers before the store keeps the pruned copy.
 */
public final class PrunedCaches {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private PrunedCaches() {
    }

    /**
     * A store keeping each object's identity, labels, annotations, owners, finalizers and deletion timestamp; no spec,
     * no status, no data.
     */
    public static <R extends HasMetadata> ItemStore<R> metadataOnly(Class<R> kind) {
        return new TransformingItemStore<>(metadataOnlyCopy(kind));
    }

    /** A store of StatefulSets keeping the metadata, {@code spec.replicas} and the status: what phase computation reads. */
    public static ItemStore<StatefulSet> statefulSetsForStatus() {
        return new TransformingItemStore<>(PrunedCaches::replicasAndStatus);
    }

    /** A store of ProxySQLs keeping the metadata and the status conditions: whether it is paused, and by whom. */
    public static ItemStore<ProxySQL> proxysqlConditions() {
        return new TransformingItemStore<>(live -> {
            ProxySQL copy = new ProxySQL();
            copy.setMetadata(metadata(live.getMetadata()));
            if (live.getStatus() != null) {
                ProxySQLStatus status = new ProxySQLStatus();
                status.setConditions(live.getStatus().getConditions());
                copy.setStatus(status);
            }
            return copy;
        });
    }

    /**
     * A store of EndpointSlices keeping what names a backend's members: the name, namespace and labels (the Service),
     * the address type, the ports, and each endpoint's addresses, hostname and target reference; no conditions, zones,
     * hints or annotations. The informer watches every Service's slices, so each one kept costs memory.
     */
    public static ItemStore<EndpointSlice> endpointSlicesForMembers() {
        return new TransformingItemStore<>(PrunedCaches::membersOnly);
    }

    static EndpointSlice membersOnly(EndpointSlice live) {
        EndpointSlice copy = new EndpointSlice();
        ObjectMeta m = new ObjectMeta();
        m.setName(live.getMetadata().getName());
        m.setNamespace(live.getMetadata().getNamespace());
        m.setUid(live.getMetadata().getUid());
        m.setResourceVersion(live.getMetadata().getResourceVersion());
        m.setLabels(live.getMetadata().getLabels());
        copy.setMetadata(m);
        copy.setAddressType(live.getAddressType());
        copy.setPorts(live.getPorts());
        if (live.getEndpoints() != null) {
            copy.setEndpoints(live.getEndpoints().stream().map(e -> {
                Endpoint kept = new Endpoint();
                kept.setAddresses(e.getAddresses());
                kept.setHostname(e.getHostname());
                kept.setTargetRef(e.getTargetRef());
                return kept;
            }).toList());
        }
        return copy;
    }

    static <R extends HasMetadata> UnaryOperator<R> metadataOnlyCopy(Class<R> kind) {
        return live -> {
            R copy = newInstance(kind);
            copy.setMetadata(metadata(live.getMetadata()));
            return copy;
        };
    }

    static StatefulSet replicasAndStatus(StatefulSet live) {
        StatefulSet copy = new StatefulSet();
        copy.setMetadata(metadata(live.getMetadata()));
        if (live.getSpec() != null) {
            StatefulSetSpec spec = new StatefulSetSpec();
            spec.setReplicas(live.getSpec().getReplicas());
            copy.setSpec(spec);
        }
        copy.setStatus(live.getStatus());
        return copy;
    }

    static ObjectMeta metadata(ObjectMeta live) {
        ObjectMeta m = new ObjectMeta();
        m.setName(live.getName());
        m.setNamespace(live.getNamespace());
        m.setUid(live.getUid());
        m.setResourceVersion(live.getResourceVersion());
        m.setGeneration(live.getGeneration());
        m.setCreationTimestamp(live.getCreationTimestamp());
        m.setDeletionTimestamp(live.getDeletionTimestamp());
        m.setLabels(live.getLabels());
        m.setOwnerReferences(live.getOwnerReferences());
        m.setFinalizers(live.getFinalizers());
        if (live.getAnnotations() != null) {
            // kubectl's client-side apply copy of the whole object is the one annotation that can be large.
            Map<String, String> annotations = new LinkedHashMap<>(live.getAnnotations());
            annotations.remove(LAST_APPLIED);
            m.setAnnotations(annotations);
        }
        return m;
    }

    private static <R> R newInstance(Class<R> kind) {
        try {
            return kind.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            throw new IllegalArgumentException(kind.getName() + " has no public no-argument constructor to copy into", e);
        }
    }
}
