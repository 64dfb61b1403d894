package dev.proxysql.operator.api.common;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * Schema stand-in for a free-form JSON object (KubeDB's RawExtension fields): {@code type: object} with
 * {@code x-kubernetes-preserve-unknown-fields}. Used through {@code @SchemaFrom} so that the Java field can stay a
 * {@code Map<String, Object>} while the schema accepts values of any type (a plain map would be given
 * {@code additionalProperties: {type: object}} and reject {@code max_connections: 2048}).
 */
@PreserveUnknownFields
public final class FreeFormObject {
    private FreeFormObject() {
    }
}
