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

    /**
     * The amount in base units, exactly: {@code 1024Pi} and {@code 1Ei} are the same amount. (fabric8's
     * {@code getNumericalAmount} is not exact for the largest binary suffixes.)
     *
     * @throws IllegalArgumentException if it is not a Kubernetes quantity
     */
    public static BigDecimal amount(Quantity q) {
        String text = q.getAmount() == null ? "" : q.getAmount();
        String format = q.getFormat() == null ? "" : q.getFormat();
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + text + format, e);
        }
        return number.multiply(multiplier(format));
    }

    private static BigDecimal multiplier(String format) {
        return switch (format) {
            case "" -> BigDecimal.ONE;
            case "n" -> BigDecimal.ONE.scaleByPowerOfTen(-9);
            case "u" -> BigDecimal.ONE.scaleByPowerOfTen(-6);
            case "m" -> BigDecimal.ONE.scaleByPowerOfTen(-3);
            case "k" -> BigDecimal.ONE.scaleByPowerOfTen(3);
            case "M" -> BigDecimal.ONE.scaleByPowerOfTen(6);
            case "G" -> BigDecimal.ONE.scaleByPowerOfTen(9);
            case "T" -> BigDecimal.ONE.scaleByPowerOfTen(12);
            case "P" -> BigDecimal.ONE.scaleByPowerOfTen(15);
            case "E" -> BigDecimal.ONE.scaleByPowerOfTen(18);
            case "Ki" -> BigDecimal.valueOf(2).pow(10);
            case "Mi" -> BigDecimal.valueOf(2).pow(20);
            case "Gi" -> BigDecimal.valueOf(2).pow(30);
            case "Ti" -> BigDecimal.valueOf(2).pow(40);
            case "Pi" -> BigDecimal.valueOf(2).pow(50);
            case "Ei" -> BigDecimal.valueOf(2).pow(60);
            default -> {
                if (format.matches("[eE][+-]?[0-9]{1,3}")) {
                    yield BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(format.substring(1).replace("+", "")));
                }
                throw new IllegalArgumentException("unknown suffix: " + format);
            }
        };
    }

    /**
     * Why the API server would refuse or change this quantity, or null: it must be a quantity, not negative, not
     * finer than 1n (the server rounds it up, so it would never compare equal to what was asked) and not above
     * 2^63-1 (the server caps it).
     */
    public static String quantityProblem(String value) {
        BigDecimal amount;
        try {
            amount = amount(new Quantity(value));
        } catch (RuntimeException e) {
            return "\"" + value + "\" is not a quantity (e.g. 500m, 2, 1Gi)";
        }
        if (amount.signum() < 0) {
            return value + " is negative";
        }
        if (amount.stripTrailingZeros().scale() > 9) {
            return value + " is finer than 1n, the smallest amount Kubernetes keeps";
        }
        if (amount.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return value + " is larger than Kubernetes can hold (2^63-1)";
        }
        return null;
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
