package dev.proxysql.operator.api.kubedb.v1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Map;

/** Monitoring (mona.AgentSpec). With an agent set, the operator adds the exporter and the {@code <name>-stats} Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentSpec {
    /** The monitoring agent, as KubeDB names them. */
    public enum Agent {
        @JsonProperty("prometheus.io/operator") PROMETHEUS_OPERATOR,
        @JsonProperty("prometheus.io") PROMETHEUS,
        @JsonProperty("prometheus.io/builtin") PROMETHEUS_BUILTIN
    }

    private Agent agent;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> prometheus;

    public Agent getAgent() {
        return agent;
    }

    public void setAgent(Agent agent) {
        this.agent = agent;
    }

    public Map<String, Object> getPrometheus() {
        return prometheus;
    }

    public void setPrometheus(Map<String, Object> prometheus) {
        this.prometheus = prometheus;
    }
}
