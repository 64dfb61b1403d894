package dev.proxysql.operator.kube;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator client's JSON mapping: fabric8's, except that {@code metadata.managedFields} is never read.
 *
 * <p>Every object the operator reads, and every object its informers cache, would otherwise carry its server-side
 * apply field sets as nested maps. For a StatefulSet that the provisioner applies these are larger than the rest of
 * the object: with 1,000 ProxySQLs they were about 85 of the 173 MB of live heap (bench/README.md). No code of the
 * operator reads them: children are compared by the desired-state hash annotation, and writes are server-side
 * applies, JSON patches or status updates, none of which need the field sets sent back (an update that carries no
 * managedFields leaves the stored ones as they are). Serialization is unchanged: a value set in code is still written.
 */
public final class OperatorSerialization {
    private OperatorSerialization() {
    }

    public static KubernetesSerialization create() {
        return new KubernetesSerialization(mapper(), true);
    }

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.addMixIn(ObjectMeta.class, WithoutReadingManagedFields.class);
        return mapper;
    }

    @JsonIgnoreProperties(value = "managedFields", allowGetters = true)
    private abstract static class WithoutReadingManagedFields {
    }
}
