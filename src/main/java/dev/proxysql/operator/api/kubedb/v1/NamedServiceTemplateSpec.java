package dev.proxysql.operator.api.kubedb.v1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxysql.operator.api.common.MetadataTemplate;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Customisation of one of the Services, chosen by alias (primary, standby or stats). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamedServiceTemplateSpec {
    /** Which Service this template applies to. */
    public enum Alias {
        @JsonProperty("primary") PRIMARY,
        @JsonProperty("standby") STANDBY,
        @JsonProperty("stats") STATS
    }

    @Required
    private Alias alias;
    private MetadataTemplate metadata;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> spec;

    public Alias getAlias() {
        return alias;
    }

    public void setAlias(Alias alias) {
        this.alias = alias;
    }

    public MetadataTemplate getMetadata() {
        return metadata;
    }

    public void setMetadata(MetadataTemplate metadata) {
        this.metadata = metadata;
    }

    public Map<String, Object> getSpec() {
        return spec;
    }

    public void setSpec(Map<String, Object> spec) {
        this.spec = spec;
    }
}
