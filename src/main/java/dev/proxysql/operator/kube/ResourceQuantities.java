package dev.proxysql.operator.kube;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares and describes container resources by amount, not spelling: the API server stores {@code 0.5} as
 * {@code 500m}, and a change that only respells a quantity must not restart pods.
 */
public final class ResourceQuantities {
    private ResourceQuantities() {
    }

    /** Same requests and same limits, by amount; null and empty are the same. */
    public static boolean same(ResourceRequirements a, ResourceRequirements b) {
        return sameAmounts(requests(a), requests(b)) && sameAmounts(limits(a), limits(b));
    }

    /** "requests cpu=500m, memory=1Gi; limits memory=1Gi", or "none". */
    public static String describe(ResourceRequirements r) {
        List<String> parts = new ArrayList<>();
        if (!requests(r).isEmpty()) {
            parts.add("requests " + list(requests(r)));
        }
        if (!limits(r).isEmpty()) {
            parts.add("limits " + list(limits(r)));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    /**
     * Why these resources cannot be given to a container, naming the resource, or null when they can: a request above
     * its limit is refused by the API server, so the pods would never be created.
     *
     * @param field the field the resources came from, e.g. {@code spec.verticalScaling.proxysql.resources}
     */
    public static String problem(String field, ResourceRequirements r) {
        for (Map.Entry<String, Quantity> request : requests(r).entrySet()) {
            Quantity limit = limits(r).get(request.getKey());
            if (limit != null && amount(request.getValue()).compareTo(amount(limit)) > 0) {
                return field + ".requests." + request.getKey() + ": " + request.getValue() + " is more than "
                        + field + ".limits." + request.getKey() + " (" + limit + ")";
            }
        }
        return null;
    }

    private static boolean sameAmounts(Map<String, Quantity> a, Map<String, Quantity> b) {
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        for (String name : names) {
            Quantity x = a.get(name);
            Quantity y = b.get(name);
            if (x == null || y == null || amount(x).compareTo(amount(y)) != 0) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal amount(Quantity q) {
        return q.getNumericalAmount();
    }

    private static Map<String, Quantity> requests(ResourceRequirements r) {
        return r == null || r.getRequests() == null ? Map.of() : r.getRequests();
    }

    private static Map<String, Quantity> limits(ResourceRequirements r) {
        return r == null || r.getLimits() == null ? Map.of() : r.getLimits();
    }

    private static String list(Map<String, Quantity> quantities) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(quantities).forEach((name, q) -> parts.add(name + "=" + q));
        return String.join(", ", parts);
    }
}
