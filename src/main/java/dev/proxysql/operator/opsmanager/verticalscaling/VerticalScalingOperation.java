package dev.proxysql.operator.opsmanager.verticalscaling;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.api.kubedb.v1.PodTemplateSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.api.ops.v1alpha1.VerticalScalingSpec;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.topology.ProxySQLContainer;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * VerticalScaling: gives the ProxySQL container new resources by replacing pods one at a time (mode Restart), then
 * writes them into the ProxySQL's {@code spec.podTemplate} so that the provisioner keeps them after the resume. A
 * failure rolls the template back to the resources it had, like a failed version update.
 */
public final class VerticalScalingOperation implements Operation {
    /** The type as the ops manager runs it: this operation over the shared template flow. */
    public static OpsType type(KubernetesClient client) {
        return OpsType.of(OpsRequestType.VERTICAL_SCALING, new VerticalScalingOperation(client));
    }

    static final String FIELD = "spec.verticalScaling.proxysql.resources";
    /** In this order, so that the same request always gets the same message. */
    private static final List<String> RESOURCE_FIELDS = List.of("requests", "limits");
    private static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
    private final KubernetesClient client;

    public VerticalScalingOperation(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        VerticalScalingSpec spec = request.getSpec().getVerticalScaling();
        if (spec.getMode() == VerticalScalingSpec.Mode.IN_PLACE) {
            return Validation.reject("spec.verticalScaling.mode: InPlace is not supported by this operator yet; use Restart (the default), "
                    + "which replaces the pods one at a time");
        }
        VerticalScalingSpec.PodResources pod = spec.getProxysql();
        if (pod == null || pod.getResources() == null || pod.getResources().isEmpty()) {
            return Validation.reject(FIELD + ": required: the requests and limits to give the proxysql container");
        }
        if (pod.getNodeSelectionPolicy() != null || pod.getTopology() != null) {
            return Validation.reject("spec.verticalScaling.proxysql." + (pod.getNodeSelectionPolicy() != null ? "nodeSelectionPolicy" : "topology")
                    + ": not supported by this operator yet; only resources can be changed");
        }
        for (String key : new java.util.TreeSet<>(pod.getResources().keySet())) {
            if (!RESOURCE_FIELDS.contains(key)) {
                return Validation.reject(FIELD + "." + key + ": unknown field; only requests and limits can be changed");
            }
        }
        String unfit = resourcesProblem(pod.getResources());
        if (unfit != null) {
            return Validation.reject(unfit);
        }
        ResourceRequirements target = resources(request);
        String problem = ResourceQuantities.problem(FIELD, target);
        if (problem != null) {
            return Validation.reject(problem + ": the API server would refuse such pods");
        }
        ResourceRequirements current = ProxySQLContainer.resources(proxysql);
        if (ResourceQuantities.same(target, current)) {
            return Validation.nothingToDo("ProxySQL " + proxysql.getMetadata().getName() + " already has these resources ("
                    + ResourceQuantities.describe(current) + "): nothing to change, no pod restarted");
        }
        return Validation.run();
    }

    @Override
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ProxySQL target = Serialization.clone(proxysql);
        withResources(target, resources(request));
        return target;
    }

    @Override
    public boolean changesResources() {
        return true;
    }

    /**
     * Writes the resources into {@code spec.podTemplate.spec.containers[proxysql]}, which wins over the legacy
     * top-level {@code resources}: otherwise the provisioner would put the old ones back after the resume.
     */
    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ResourceRequirements target = resources(request);
        if (ResourceQuantities.same(target, ProxySQLContainer.resources(proxysql))) {
            return;
        }
        client.resource(proxysql).edit(p -> {
            withResources(p, target);
            return p;
        });
    }

    /** Sets the ProxySQL container's resources in the pod template, adding the template or container if needed. */
    @SuppressWarnings("unchecked")
    static void withResources(ProxySQL p, ResourceRequirements resources) {
        PodTemplateSpec template = p.getSpec().getPodTemplate();
        if (template == null) {
            template = new PodTemplateSpec();
            p.getSpec().setPodTemplate(template);
        }
        Map<String, Object> podSpec = template.getSpec() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(template.getSpec());
        List<Object> containers = podSpec.get("containers") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        Map<String, Object> value = Serialization.jsonMapper().convertValue(resources, Map.class);
        boolean found = false;
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i) instanceof Map<?, ?> c && ProxySQLNames.CONTAINER.equals(c.get("name"))) {
                Map<String, Object> changed = new LinkedHashMap<>((Map<String, Object>) c);
                changed.put("resources", value);
                containers.set(i, changed);
                found = true;
            }
        }
        if (!found) {
            Map<String, Object> container = new LinkedHashMap<>();
            container.put("name", ProxySQLNames.CONTAINER);
            container.put("resources", value);
            containers.add(container);
        }
        podSpec.put("containers", containers);
        template.setSpec(podSpec);
    }

    @Override
    public ConditionType conditionType() {
        return ConditionType.VERTICAL_SCALE;
    }

    @Override
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return "Successfully vertically scaled ProxySQL " + proxysql.getMetadata().getName() + ": proxysql container resources "
                + ResourceQuantities.describe(resources(request));
    }

    static ResourceRequirements resources(ProxySQLOpsRequest request) {
        return Serialization.jsonMapper().convertValue(request.getSpec().getVerticalScaling().getProxysql().getResources(),
                ResourceRequirements.class);
    }

    /**
     * The first problem the API server would find (or that would make the pods differ from what was asked), naming
     * its field, or null: each group a map, each name a resource, each value a quantity it keeps as written (an
     * extended resource in whole units), at least one quantity in all, and requests with the limits they need.
     */
    private static String resourcesProblem(Map<String, Object> resources) {
        int quantities = 0;
        for (String group : RESOURCE_FIELDS) {
            Object values = resources.get(group);
            if (values == null) {
                continue;
            }
            if (!(values instanceof Map<?, ?> map)) {
                return FIELD + "." + group + ": must be a map of resource name to quantity";
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                String field = FIELD + "." + group + "." + name;
                if (!STANDARD_RESOURCES.contains(name) && !name.startsWith("hugepages-") && !name.contains("/")) {
                    return field + ": not a resource name (cpu, memory, ephemeral-storage, hugepages-<size>, or an extended "
                            + "resource such as example.com/gpu)";
                }
                String problem = ResourceQuantities.quantityProblem(String.valueOf(e.getValue()));
                if (problem != null) {
                    return field + ": " + problem;
                }
                if (name.contains("/") && !name.startsWith("kubernetes.io/")
                        && ResourceQuantities.amount(new Quantity(String.valueOf(e.getValue()))).stripTrailingZeros().scale() > 0) {
                    return field + ": " + e.getValue() + " is not a whole number; Kubernetes counts extended resources in whole units";
                }
                quantities++;
            }
        }
        if (quantities == 0) {
            return FIELD + ": names no quantity: give requests or limits (an empty block would leave the container with "
                    + "KubeDB's defaults once the provisioner reconciles)";
        }
        return extendedResourceProblem(resources);
    }

    /**
     * Kubernetes overcommits neither extended resources nor huge pages: a request needs an equal limit. (It refuses
     * such pods only when the StatefulSet controller creates them.)
     */
    private static String extendedResourceProblem(Map<String, Object> resources) {
        Map<?, ?> requests = resources.get("requests") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> limits = resources.get("limits") instanceof Map<?, ?> m ? m : Map.of();
        for (Map.Entry<?, ?> request : requests.entrySet()) {
            String name = String.valueOf(request.getKey());
            if (!name.contains("/") && !name.startsWith("hugepages-")) {
                continue;
            }
            Object limit = limits.get(name);
            if (limit == null || ResourceQuantities.amount(new Quantity(String.valueOf(limit)))
                    .compareTo(ResourceQuantities.amount(new Quantity(String.valueOf(request.getValue())))) != 0) {
                return FIELD + ".limits." + name + ": must equal requests." + name + " (" + request.getValue()
                        + "): Kubernetes does not overcommit " + name;
            }
        }
        return null;
    }
}
