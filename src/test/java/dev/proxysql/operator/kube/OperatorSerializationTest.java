package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorSerializationTest {
    private static final String STS = """
            {"apiVersion":"apps/v1","kind":"StatefulSet",
             "metadata":{"name":"px","namespace":"demo","resourceVersion":"42","labels":{"app.kubernetes.io/instance":"px"},
               "annotations":{"proxysql.dev/desired-hash":"abc"},
               "managedFields":[{"manager":"proxysql-provisioner","operation":"Apply","apiVersion":"apps/v1",
                 "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{}}}}}}]},
             "spec":{"replicas":3,"serviceName":"px-pods"}}""";

    private final KubernetesSerialization serialization = OperatorSerialization.create();

    @Test
    void readsEverythingButManagedFields() {
        StatefulSet sts = serialization.unmarshal(STS, StatefulSet.class);
        assertThat(sts.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(sts.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
        assertThat(sts.getMetadata().getName()).isEqualTo("px");
        assertThat(sts.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(sts.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "px");
        assertThat(sts.getMetadata().getAnnotations()).containsEntry("proxysql.dev/desired-hash", "abc");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void appliesToCustomResourcesToo() {
        ProxySQL p = serialization.unmarshal("""
                {"apiVersion":"kubedb.com/v1","kind":"ProxySQL","metadata":{"name":"px","namespace":"demo",
                 "managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
                 "spec":{"version":"2.6.3-debian","replicas":1}}""", ProxySQL.class);
        assertThat(p.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(p.getSpec().getVersion()).isEqualTo("2.6.3-debian");
    }

    @Test
    void stillWritesManagedFieldsSetInCode() {
        StatefulSet sts = serialization.unmarshal(STS, StatefulSet.class);
        sts.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("m").build()));
        assertThat(serialization.asJson(sts)).contains("\"managedFields\":[{\"manager\":\"m\"}]");
    }

    @Test
    void leavesTheRestOfTheMappingAsFabric8Has() {
        StatefulSet plain = new KubernetesSerialization().unmarshal(STS, StatefulSet.class);
        StatefulSet lean = serialization.unmarshal(STS, StatefulSet.class);
        plain.getMetadata().setManagedFields(null);
        assertThat(serialization.asJson(lean)).isEqualTo(new KubernetesSerialization().asJson(plain));
    }
}
