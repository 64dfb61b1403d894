package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.kube.ResourceQuantities;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an ops request changes in the StatefulSet: the StatefulSet the provisioner's renderer makes from the spec the
 * request leaves ({@code rendered}; null when the spec does not change), plus pod-template annotations (a null value
 * removes one; Restart's marker, which is not part of the spec). {@code images} and {@code resources} are what the
 * change means per container, for people and for the rolling engine, which checks the pods run those images.
 */
public record TemplateChange(Map<String, String> images, Map<String, ResourceRequirements> resources, Map<String, String> annotations,
                      StatefulSet rendered) {

    public TemplateChange {
        images = images == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(images));
        resources = resources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        // Map.copyOf refuses null values, which mean "remove this annotation".
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /**
     * What a rollback does with a type's annotations {@code keys}: each back to its value in {@code previous}, or
     * removed (a null value) when {@code previous} (null: none recorded) does not have it.
     */
    public static Map<String, String> restoring(java.util.Collection<String> keys, Map<String, String> previous) {
        Map<String, String> back = new LinkedHashMap<>();
        keys.forEach(k -> back.put(k, previous == null ? null : previous.get(k)));
        return back;
    }

    /**
     * For people: "proxysql=image, exporter=image; proxysql resources requests cpu=1; annotation=value"; a change only
     * in what the renderer makes of the spec (ReconfigureTLS's volumes and init container) says so.
     */
    public String describe() {
        String described = Stream.of(
                        images.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")),
                        resources.entrySet().stream().map(e -> e.getKey() + " resources " + ResourceQuantities.describe(e.getValue()))
                                .collect(Collectors.joining(", ")),
                        annotations.entrySet().stream().map(e -> e.getValue() == null ? "without " + e.getKey() : e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.joining("; "));
        return described.isEmpty() ? "the pod template rendered from the ProxySQL's spec" : described;
    }
}
