package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.topology.StatefulSetFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and changes the pod template of a StatefulSet: applies the rendered StatefulSet exactly as the provisioner
 * does (hash-guarded server-side apply under its field manager), and edits template annotations.
 */
public final class StatefulSetTemplate {
    private final KubernetesClient client;
    private final ChildApplier applier;

    public StatefulSetTemplate(KubernetesClient client) {
        this.client = client;
        this.applier = new ChildApplier(client, StatefulSetFactory.FIELD_MANAGER, () -> { });
    }

    public static Map<String, String> images(StatefulSet sts) {
        Map<String, String> images = new LinkedHashMap<>();
        for (Container c : sts.getSpec().getTemplate().getSpec().getContainers()) {
            images.put(c.getName(), c.getImage());
        }
        return images;
    }

    public static Map<String, ResourceRequirements> resources(StatefulSet sts) {
        Map<String, ResourceRequirements> resources = new LinkedHashMap<>();
        for (Container c : sts.getSpec().getTemplate().getSpec().getContainers()) {
            resources.put(c.getName(), c.getResources() == null ? new ResourceRequirements() : c.getResources());
        }
        return resources;
    }

    /**
     * Whether the StatefulSet already has this change: it was last applied from the same rendering (the provisioner's
     * hash annotation), and has the annotations (one with a null value must be absent).
     */
    public static boolean has(StatefulSet sts, TemplateChange change) {
        return ChildApplier.hashOf(rendered(change)).equals(ChildApplier.annotation(sts)) && annotationsMatch(sts, change);
    }

    private static boolean annotationsMatch(StatefulSet sts, TemplateChange change) {
        Map<String, String> ann = sts.getSpec().getTemplate().getMetadata().getAnnotations();
        return change.annotations().entrySet().stream().allMatch(e -> e.getValue() == null
                ? ann == null || !ann.containsKey(e.getKey())
                : ann != null && e.getValue().equals(ann.get(e.getKey())));
    }

    /**
     * Applies the change: the rendered StatefulSet by a forced server-side apply under the provisioner's field manager
     * (the same write the provisioner makes after the resume, so that it then has nothing to change), then the
     * annotations by an update with the read resourceVersion (if someone changed the StatefulSet meanwhile, that fails
     * and is decided again).
     */
    public void change(StatefulSet sts, TemplateChange change) {
        StatefulSet live = sts;
        // The provisioner's own write: hash-guarded, a no-op when the StatefulSet was last applied from this rendering.
        if (applier.apply(rendered(change), sts)) {
            live = client.resource(sts).get();
        }
        if (annotationsMatch(live, change)) {
            return;
        }
        client.resource(live).edit(s -> {
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

    private static StatefulSet rendered(TemplateChange change) {
        if (change.rendered() == null) {
            throw new IllegalArgumentException("a template change without the rendered StatefulSet: " + change.describe());
        }
        return change.rendered();
    }

    /** The StatefulSet controller has seen the latest template: its updateRevision is the new one. */
    public static boolean observed(StatefulSet sts) {
        return sts.getStatus() != null && sts.getStatus().getObservedGeneration() != null
                && sts.getStatus().getObservedGeneration() >= sts.getMetadata().getGeneration()
                && sts.getStatus().getUpdateRevision() != null;
    }
}
