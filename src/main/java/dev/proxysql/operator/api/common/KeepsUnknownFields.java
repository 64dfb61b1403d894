package dev.proxysql.operator.api.common;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base for API classes that model only part of an object written by someone else (AppBindings come from KubeDB or
 * users): fields this operator does not model are kept, so that reading and writing such an object loses nothing.
 */
public abstract class KeepsUnknownFields {
    @JsonIgnore
    private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

    // @JsonIgnore hides it from the CRD generator only; Jackson still uses it as the any-getter.
    @JsonIgnore
    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) {
        additionalProperties.put(name, value);
    }
}
