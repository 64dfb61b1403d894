package dev.proxysql.operator.kube;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The API spelling of an enum constant (its {@code @JsonProperty}), e.g. "UpdateVersion" for UPDATE_VERSION. */
public final class EnumNames {
    private EnumNames() {
    }

    public static String of(Enum<?> value) {
        if (value == null) {
            return "<none>";
        }
        try {
            JsonProperty p = value.getDeclaringClass().getField(value.name()).getAnnotation(JsonProperty.class);
            return p == null ? value.name() : p.value();
        } catch (NoSuchFieldException e) {
            return value.name();
        }
    }
}
