package dev.proxysql.operator.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A typed reference in the same namespace (core.TypedLocalObjectReference / appcat.TypedLocalObjectReference). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TypedLocalObjectReference {
    private String apiGroup;
    private String kind;
    @Required
    private String name;

    public String getApiGroup() {
        return apiGroup;
    }

    public void setApiGroup(String apiGroup) {
        this.apiGroup = apiGroup;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
