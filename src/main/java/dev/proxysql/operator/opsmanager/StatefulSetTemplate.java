package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.kube.ResourceQuantities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and changes the pod template of a StatefulSet: container images and resources, template annotations. */
final class StatefulSetTemplate {
    private final KubernetesClient client;

    StatefulSetTemplate(KubernetesClient client) {
        this.client = client;
    }

    static Map<String, String> images(StatefulSet sts) {
        Map<String, String> images = new LinkedHashMap<>();
        for (Container c : sts.getSpec().getTemplate().getSpec().getContainers()) {
            images.put(c.getName(), c.getImage());
        }
        return images;
    }

    static Map<String, ResourceRequirements> resources(StatefulSet sts) {
        Map<String, ResourceRequirements> resources = new LinkedHashMap<>();
        for (Container c : sts.getSpec().getTemplate().getSpec().getContainers()) {
            resources.put(c.getName(), c.getResources() == null ? new ResourceRequirements() : c.getResources());
        }
        return resources;
    }

    /** Whether the template already has this change (an annotation with a null value must be absent). */
    static boolean has(StatefulSet sts, TemplateChange change) {
        Map<String, String> currentImages = images(sts);
        Map<String, ResourceRequirements> currentResources = resources(sts);
        boolean imagesMatch = change.images().entrySet().stream().allMatch(e -> e.getValue().equals(currentImages.get(e.getKey())));
        boolean resourcesMatch = change.resources().entrySet().stream()
                .allMatch(e -> currentResources.containsKey(e.getKey()) && ResourceQuantities.same(e.getValue(), currentResources.get(e.getKey())));
        Map<String, String> ann = sts.getSpec().getTemplate().getMetadata().getAnnotations();
        boolean annotationsMatch = change.annotations().entrySet().stream().allMatch(e -> e.getValue() == null
                ? ann == null || !ann.containsKey(e.getKey())
                : ann != null && e.getValue().equals(ann.get(e.getKey())));
        return imagesMatch && resourcesMatch && annotationsMatch;
    }

    /**
     * Applies the change. An update with the read resourceVersion: if someone changed the StatefulSet meanwhile, this
     * fails and is decided again.
     */
    void change(StatefulSet sts, TemplateChange change) {
        client.resource(sts).edit(s -> {
            for (Container c : s.getSpec().getTemplate().getSpec().getContainers()) {
                if (change.images().containsKey(c.getName())) {
                    c.setImage(change.images().get(c.getName()));
                }
                if (change.resources().containsKey(c.getName())) {
                    c.setResources(change.resources().get(c.getName()));
                }
            }
            Map<String, String> ann = new LinkedHashMap<>(s.getSpec().getTemplate().getMetadata().getAnnotations() == null
                    ? Map.of() : s.getSpec().getTemplate().getMetadata().getAnnotations());
            change.annotations().forEach((k, v) -> {
                if (v == null) {
                    ann.remove(k);
                } else {
                    ann.put(k, v);
                }
            });
            s.getSpec().getTemplate().getMetadata().setAnnotations(ann);
            return s;
        });
    }

    /** The StatefulSet controller has seen the latest template: its updateRevision is the new one. */
    static boolean observed(StatefulSet sts) {
        return sts.getStatus() != null && sts.getStatus().getObservedGeneration() != null
                && sts.getStatus().getObservedGeneration() >= sts.getMetadata().getGeneration()
                && sts.getStatus().getUpdateRevision() != null;
    }
}
