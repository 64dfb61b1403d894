package dev.proxysql.operator.api.kubedb.v1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.proxysql.operator.api.common.MetadataTemplate;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Map;

/**
 * Customisation of the ProxySQL pods (ofst PodTemplateSpec). {@code spec} takes the fields of a core PodSpec
 * (containers by name, resources, nodeSelector, tolerations, affinity, ...); it is kept as given and read by the
 * provisioner, so KubeDB manifests with any PodSpec field are accepted unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTemplateSpec {
    private MetadataTemplate metadata;
    /** Labels and annotations for the StatefulSet itself. */
    private MetadataTemplate controller;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> spec;

    public MetadataTemplate getMetadata() {
        return metadata;
    }

    public void setMetadata(MetadataTemplate metadata) {
        this.metadata = metadata;
    }

    public MetadataTemplate getController() {
        return controller;
    }

    public void setController(MetadataTemplate controller) {
        this.controller = controller;
    }

    public Map<String, Object> getSpec() {
        return spec;
    }

    public void setSpec(Map<String, Object> spec) {
        this.spec = spec;
    }
}
