package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBindingSpec;
import dev.proxysql.operator.proxysql.config.BackendMode;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend servers {@code mysql_servers} lists: for a replicated backend (Galera, Group Replication) behind an
 * AppBinding that names a Service, every member of that Service, so that ProxySQL's monitor checks each node on its
 * own and can pick one writer and move it (KubeDB renders {@code <db>-<i>.<db>-pods.<ns>.svc:3306} per pod). The one
 * AppBinding address otherwise: a standalone server, an AppBinding with a {@code url}, or a Service without endpoints.
 *
 * <p>A member is every endpoint of the Service's EndpointSlices, ready or not: ProxySQL's own monitor decides which
 * ones serve. It is named by stable DNS where it has one (the endpoint's {@code hostname}, which the EndpointSlice
 * controller sets for a headless Service's pods, as {@code <hostname>.<service>.<ns>.svc}; else its pod's
 * {@code spec.hostname} and {@code spec.subdomain}, as {@code <hostname>.<subdomain>.<ns>.svc}), else by its first
 * address, so a pod that is replaced under the same name keeps its row. The list is sorted (names with their numbers
 * compared as numbers), so the same members always render the same config.
 */
public final class BackendMembers {
    /** The label the EndpointSlices of a Service carry (its name). */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private BackendMembers() {
    }

    /**
     * The members to render. {@code slices}: EndpointSlices of the AppBinding's namespace (those of other Services are
     * ignored); {@code pods}: pods by name, at least those the slices' endpoints refer to and have no hostname (missing
     * ones are named by address). Empty only when the AppBinding has no usable address.
     */
    public static List<BackendAddress> of(AppBinding binding, BackendMode mode, Collection<EndpointSlice> slices, Map<String, Pod> pods) {
        Optional<BackendAddress> address = BackendAddress.of(binding);
        if (address.isEmpty()) {
            return List.of();
        }
        Optional<String> service = discoverable(binding, mode);
        if (service.isEmpty()) {
            return List.of(address.get());
        }
        String namespace = binding.getMetadata().getNamespace();
        Map<String, BackendAddress> members = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            if (!ofService(slice, namespace, service.get()) || slice.getEndpoints() == null) {
                continue;
            }
            int port = port(slice, address.get().port());
            for (Endpoint endpoint : slice.getEndpoints()) {
                name(endpoint, service.get(), namespace, pods).ifPresent(host -> members.putIfAbsent(host + ":" + port,
                        new BackendAddress(host, port)));
            }
        }
        if (members.isEmpty()) {
            return List.of(address.get());
        }
        List<BackendAddress> sorted = new ArrayList<>(members.values());
        sorted.sort(Comparator.comparing(BackendAddress::host, BackendMembers::compareNatural)
                .thenComparingInt(BackendAddress::port));
        return List.copyOf(sorted);
    }

    /**
     * The Service whose members are rendered: the AppBinding's {@code clientConfig.service} for a replicated mode, else
     * empty (a {@code url} names one address, and a standalone server is one).
     */
    public static Optional<String> discoverable(AppBinding binding, BackendMode mode) {
        if (mode != BackendMode.GALERA && mode != BackendMode.GROUP_REPLICATION) {
            return Optional.empty();
        }
        AppBindingSpec spec = binding.getSpec();
        AppBindingSpec.ServiceReference service = spec == null || spec.getClientConfig() == null ? null : spec.getClientConfig().getService();
        return service == null || service.getName() == null || service.getName().isBlank() ? Optional.empty() : Optional.of(service.getName());
    }

    /** The pods {@link #of} needs to name the slices' endpoints: those without a hostname that refer to a pod. */
    public static List<ObjectReference> podsToName(Collection<EndpointSlice> slices) {
        List<ObjectReference> refs = new ArrayList<>();
        for (EndpointSlice slice : slices) {
            if (slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (blank(endpoint.getHostname()) && isPod(endpoint.getTargetRef())) {
                    refs.add(endpoint.getTargetRef());
                }
            }
        }
        return refs;
    }

    static boolean ofService(EndpointSlice slice, String namespace, String service) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return namespace.equals(slice.getMetadata().getNamespace()) && labels != null && service.equals(labels.get(SERVICE_NAME_LABEL));
    }

    /**
     * The members' port. A slice's ports carry the Service port's name with the target (container) port's number,
     * which is where a member is reached directly: the slice's only port, else the one whose number is the
     * AppBinding's port, else the AppBinding's port.
     */
    static int port(EndpointSlice slice, int bindingPort) {
        List<EndpointPort> ports = slice.getPorts() == null ? List.of()
                : slice.getPorts().stream().filter(p -> p.getPort() != null && BackendAddress.validPort(p.getPort())).toList();
        if (ports.size() == 1) {
            return ports.get(0).getPort();
        }
        return ports.stream().map(EndpointPort::getPort).filter(p -> p == bindingPort).findFirst().orElse(bindingPort);
    }

    private static Optional<String> name(Endpoint endpoint, String service, String namespace, Map<String, Pod> pods) {
        if (!blank(endpoint.getHostname())) {
            return Optional.of(endpoint.getHostname() + "." + service + "." + namespace + ".svc");
        }
        if (isPod(endpoint.getTargetRef())) {
            Pod pod = pods.get(endpoint.getTargetRef().getName());
            if (pod != null && pod.getSpec() != null && !blank(pod.getSpec().getHostname()) && !blank(pod.getSpec().getSubdomain())) {
                return Optional.of(pod.getSpec().getHostname() + "." + pod.getSpec().getSubdomain() + "." + namespace + ".svc");
            }
        }
        return endpoint.getAddresses() == null ? Optional.empty() : endpoint.getAddresses().stream().filter(a -> !blank(a)).findFirst();
    }

    private static boolean isPod(ObjectReference ref) {
        return ref != null && "Pod".equals(ref.getKind()) && !blank(ref.getName());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Text order, except that runs of digits compare as numbers: db-2 before db-10, 10.0.0.9 before 10.0.0.10. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                String na = a.substring(i, endA).replaceFirst("^0+(?=\\d)", "");
                String nb = b.substring(j, endB).replaceFirst("^0+(?=\\d)", "");
                int byLength = Integer.compare(na.length(), nb.length());
                int byDigits = byLength != 0 ? byLength : na.compareTo(nb);
                if (byDigits != 0) {
                    return byDigits;
                }
                i = endA;
                j = endB;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int byRest = Integer.compare(a.length() - i, b.length() - j);
        return byRest != 0 ? byRest : a.compareTo(b);
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }
}
