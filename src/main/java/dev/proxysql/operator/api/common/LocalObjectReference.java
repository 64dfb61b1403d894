package dev.proxysql.operator.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A reference to an object by name in the same namespace (core.LocalObjectReference). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalObjectReference {
    @Required
    private String name;

    public LocalObjectReference() {
    }

    public LocalObjectReference(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
