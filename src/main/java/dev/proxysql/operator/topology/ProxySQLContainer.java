package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.kubedb.v1.PodTemplateSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Map;

/**
 * What a ProxySQL's spec says about its pods' {@code proxysql} container, read the same way by the provisioner (which
 * renders the StatefulSet from it) and the ops manager (which changes it and must predict the rendered result).
 */
public final class ProxySQLContainer {

    private ProxySQLContainer() {
    }

    /** The resources the ProxySQL container gets from this ProxySQL's spec (KubeDB's defaults if it names none). */
    public static ResourceRequirements resources(ProxySQL p) {
        PodTemplateSpec template = p.getSpec().getPodTemplate();
        Container user = userPodSpec(template).getContainers().stream()
                .filter(c -> ProxySQLNames.CONTAINER.equals(c.getName())).findFirst().orElse(null);
        return resources(user == null ? null : user.getResources(), template);
    }

    /** KubeDB's default resources unless the pod template gives some (per container, or v1alpha2-style top level). */
    @SuppressWarnings("unchecked")
    public static ResourceRequirements resources(ResourceRequirements user, PodTemplateSpec template) {
        if (user != null && (user.getRequests() != null || user.getLimits() != null)) {
            return user;
        }
        Object legacy = template == null || template.getSpec() == null ? null : template.getSpec().get("resources");
        if (legacy instanceof Map<?, ?> map && !map.isEmpty()) {
            return Serialization.unmarshal(Serialization.asJson((Map<String, Object>) map), ResourceRequirements.class);
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("1Gi"))
                .addToLimits("memory", new Quantity("1Gi"))
                .build();
    }

    /** {@code spec.podTemplate.spec} read as a core PodSpec (a copy; never null, nor its container list). */
    public static PodSpec userPodSpec(PodTemplateSpec template) {
        PodSpec spec = template == null || template.getSpec() == null ? new PodSpec()
                : Serialization.unmarshal(Serialization.asJson(template.getSpec()), PodSpec.class);
        if (spec.getContainers() == null) {
            spec.setContainers(new ArrayList<>());
        }
        return spec;
    }
}
