package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.PrunedCaches;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.BackendMembers;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The members of a replicated backend ({@link BackendMembers}) as the provisioner sees them: the AppBinding's Service's
 * EndpointSlices from one informer (indexed by Service, so a reconcile lists nothing), whose changes re-render the
 * config of every ProxySQL in front of that Service; and the pods the slices refer to, each read once. A pod's
 * {@code spec.hostname} and {@code spec.subdomain} cannot change, so a pod is read at most once per UID (a replaced
 * pod has a new one), not at every reconcile, and the operator caches no pods of the cluster for it.
 */
final class BackendMemberDiscovery {
    static final String BY_SERVICE = "by-service";
    /** Pods remembered by UID; beyond that the oldest are read again when next needed. */
    static final int PODS_REMEMBERED = 10_000;

    private final KubernetesClient client;
    private final Map<String, Pod> podsByUid = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pod> eldest) {
            return size() > PODS_REMEMBERED;
        }
    });
    private InformerEventSource<EndpointSlice, ProxySQL> slices;

    BackendMemberDiscovery(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The informer of EndpointSlices: a slice's change wakes the ProxySQLs of its namespace whose AppBinding (from
     * {@code appBindings}) names its Service.
     */
    InformerEventSource<EndpointSlice, ProxySQL> eventSource(EventSourceContext<ProxySQL> context,
                                                             Function<ResourceID, Optional<AppBinding>> appBindings) {
        slices = new InformerEventSource<>(InformerEventSourceConfiguration.from(EndpointSlice.class, ProxySQL.class)
                .withName("backend-endpointslices")
                .withItemStore(PrunedCaches.endpointSlicesForMembers())
                .withSecondaryToPrimaryMapper(slice -> {
                    String service = service(slice);
                    String ns = slice.getMetadata().getNamespace();
                    return service == null ? Set.of() : context.getPrimaryCache().list(ns, p -> p.getSpec() != null
                                    && p.getSpec().getBackend() != null && p.getSpec().getBackend().getName() != null
                                    && appBindings.apply(new ResourceID(p.getSpec().getBackend().getName(), ns))
                                            .flatMap(BackendMemberDiscovery::serviceOf).map(service::equals).orElse(false))
                            .map(ResourceID::fromResource).collect(Collectors.toSet());
                })
                .build(), context);
        slices.addIndexers(Map.of(BY_SERVICE, slice -> {
            String service = service(slice);
            return service == null ? List.of() : List.of(key(slice.getMetadata().getNamespace(), service));
        }));
        return slices;
    }

    /** The servers to render for {@code binding} in {@code mode}. */
    List<BackendAddress> members(AppBinding binding, BackendMode mode) {
        Optional<String> service = BackendMembers.discoverable(binding, mode);
        if (service.isEmpty()) {
            return BackendMembers.of(binding, mode, List.of(), Map.of());
        }
        String ns = binding.getMetadata().getNamespace();
        List<EndpointSlice> found = slices.byIndex(BY_SERVICE, key(ns, service.get()));
        Map<String, Pod> pods = new HashMap<>();
        for (ObjectReference ref : BackendMembers.podsToName(found)) {
            pod(ns, ref).ifPresent(pod -> pods.put(ref.getName(), pod));
        }
        return BackendMembers.of(binding, mode, found, pods);
    }

    /** The referenced pod's name, hostname and subdomain: remembered by UID, else read (and remembered). */
    private Optional<Pod> pod(String ns, ObjectReference ref) {
        if (ref.getUid() != null) {
            Pod known = podsByUid.get(ref.getUid());
            if (known != null) {
                return Optional.of(known);
            }
        }
        Pod live = client.pods().inNamespace(ns).withName(ref.getName()).get();
        if (live == null || (ref.getUid() != null && !ref.getUid().equals(live.getMetadata().getUid()))) {
            // Gone, or already replaced by a pod of the same name that the slice does not list yet.
            return Optional.empty();
        }
        Pod kept = new PodBuilder().withNewMetadata().withName(live.getMetadata().getName()).withNamespace(ns)
                .withUid(live.getMetadata().getUid()).endMetadata()
                .withNewSpec().withHostname(live.getSpec().getHostname()).withSubdomain(live.getSpec().getSubdomain()).endSpec()
                .build();
        podsByUid.put(live.getMetadata().getUid(), kept);
        return Optional.of(kept);
    }

    private static Optional<String> serviceOf(AppBinding binding) {
        // Any mode: a slice of a standalone backend's Service wakes its ProxySQLs needlessly, but the mode may change.
        return BackendMembers.discoverable(binding, BackendMode.GALERA);
    }

    private static String service(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return labels == null ? null : labels.get(BackendMembers.SERVICE_NAME_LABEL);
    }

    private static String key(String ns, String service) {
        return ns + "/" + service;
    }
}
