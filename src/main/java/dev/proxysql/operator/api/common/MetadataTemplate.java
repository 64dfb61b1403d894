package dev.proxysql.operator.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Labels and annotations to put on a generated object (ofst.MetaData). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class MetadataTemplate {
    private Map<String, String> labels;
    private Map<String, String> annotations;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
