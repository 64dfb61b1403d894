package dev.proxysql.operator.opsmanager;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and changes the pod template of a StatefulSet: container images and template annotations. */
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

    /** Whether the template already has these images and annotations (absent value: annotation must be absent). */
    static boolean has(StatefulSet sts, Map<String, String> images, Map<String, String> annotations) {
        Map<String, String> current = images(sts);
        boolean imagesMatch = images.entrySet().stream().allMatch(e -> e.getValue().equals(current.get(e.getKey())));
        Map<String, String> ann = sts.getSpec().getTemplate().getMetadata().getAnnotations();
        boolean annotationsMatch = annotations.entrySet().stream().allMatch(e -> e.getValue() == null
                ? ann == null || !ann.containsKey(e.getKey())
                : ann != null && e.getValue().equals(ann.get(e.getKey())));
        return imagesMatch && annotationsMatch;
    }

    /**
     * Sets images and annotations (a null value removes the annotation). An update with the read resourceVersion: if
     * someone changed the StatefulSet meanwhile, this fails and is decided again.
     */
    void change(StatefulSet sts, Map<String, String> images, Map<String, String> annotations) {
        client.resource(sts).edit(s -> {
            for (Container c : s.getSpec().getTemplate().getSpec().getContainers()) {
                if (images.containsKey(c.getName())) {
                    c.setImage(images.get(c.getName()));
                }
            }
            Map<String, String> ann = new LinkedHashMap<>(s.getSpec().getTemplate().getMetadata().getAnnotations() == null
                    ? Map.of() : s.getSpec().getTemplate().getMetadata().getAnnotations());
            annotations.forEach((k, v) -> {
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
