package dev.proxysql.operator.api.ops.v1alpha1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Map;

/** The target of an UpdateVersion request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpdateVersionSpec {
    /** Name of the ProxySQLVersion to move to. */
    private String targetVersion;
    /** A placeholder in KubeDB's API; accepted and kept. */
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> readinessCriteria;

    public String getTargetVersion() {
        return targetVersion;
    }


    public void setTargetVersion(String targetVersion) {
        this.targetVersion = targetVersion;
    }

    public Map<String, Object> getReadinessCriteria() {
        return readinessCriteria;
    }


    public void setReadinessCriteria(Map<String, Object> readinessCriteria) {
        this.readinessCriteria = readinessCriteria;
    }
}
