package dev.proxysql.operator.api.ops.v1alpha1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import java.util.Map;

/** New resources for the ProxySQL container, applied by restarting pods (or in place). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerticalScalingSpec {
    /** How new resources reach the pods. */
    public enum Mode {
        @JsonProperty("Restart") RESTART,
        @JsonProperty("InPlace") IN_PLACE
    }

    private PodResources proxysql;
    @Default("Restart")
    private Mode mode;

    /** Resources and placement for the ProxySQL pods. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PodResources {
        private String nodeSelectionPolicy;
        private Topology topology;
        /** A core ResourceRequirements (requests, limits). */
        @SchemaFrom(type = FreeFormObject.class)
        private Map<String, Object> resources;

        public String getNodeSelectionPolicy() {
            return nodeSelectionPolicy;
        }


        public void setNodeSelectionPolicy(String nodeSelectionPolicy) {
            this.nodeSelectionPolicy = nodeSelectionPolicy;
        }

        public Topology getTopology() {
            return topology;
        }


        public void setTopology(Topology topology) {
            this.topology = topology;
        }

        public Map<String, Object> getResources() {
            return resources;
        }


        public void setResources(Map<String, Object> resources) {
            this.resources = resources;
        }
    }

    /** A node label to place pods by. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Topology {
        private String key;
        private String value;

        public String getKey() {
            return key;
        }


        public void setKey(String key) {
            this.key = key;
        }

        public String getValue() {
            return value;
        }


        public void setValue(String value) {
            this.value = value;
        }
    }

    public PodResources getProxysql() {
        return proxysql;
    }


    public void setProxysql(PodResources proxysql) {
        this.proxysql = proxysql;
    }

    public Mode getMode() {
        return mode;
    }


    public void setMode(Mode mode) {
        this.mode = mode;
    }
}
