package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.kube.ResourceQuantities;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an ops request changes in the StatefulSet's pod template, per container: images and resources, plus
 * pod-template annotations (a null value removes one). Containers and annotations not named are left alone.
 */
record TemplateChange(Map<String, String> images, Map<String, ResourceRequirements> resources, Map<String, String> annotations) {

    TemplateChange {
        images = images == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(images));
        resources = resources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        // Map.copyOf refuses null values, which mean "remove this annotation".
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /** For people: "proxysql=image, exporter=image; proxysql resources requests cpu=1; annotation=value". */
    String describe() {
        return Stream.of(
                        images.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")),
                        resources.entrySet().stream().map(e -> e.getKey() + " resources " + ResourceQuantities.describe(e.getValue()))
                                .collect(Collectors.joining(", ")),
                        annotations.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.joining("; "));
    }
}
