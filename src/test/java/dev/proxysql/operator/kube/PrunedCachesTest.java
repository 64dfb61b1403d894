package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLSpec;
import dev.proxysql.operator.topology.KubeDbLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrunedCachesTest {
    private static final String HASH = ChildApplier.HASH_ANNOTATION;

    private static ObjectMetaBuilder meta(String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).withResourceVersion("42")
                .withGeneration(3L).withCreationTimestamp("2026-11-25T10:00:00Z")
                .withLabels(Map.of(KubeDbLabels.INSTANCE, "px"))
                .withAnnotations(Map.of(HASH, "abc", PrunedCaches.LAST_APPLIED, "{\"a huge\":\"copy\"}"))
                .addNewOwnerReference().withName("px").withUid("owner").withKind("ProxySQL").endOwnerReference()
                .withFinalizers("f");
    }

    @Test
    void aSecretKeepsItsIdentityAndHashButNotItsData() {
        Secret live = new SecretBuilder().withMetadata(meta("px-auth").build()).addToData("password", "c2VjcmV0").build();
        ItemStore<Secret> store = PrunedCaches.metadataOnly(Secret.class);
        store.put(store.getKey(live), live);

        Secret kept = store.get("ns/px-auth");
        assertThat(kept.getKind()).isEqualTo("Secret");
        assertThat(kept.getApiVersion()).isEqualTo("v1");
        assertThat(kept.getData()).as("Secret data in the cache").isNullOrEmpty();
        assertThat(kept.getMetadata().getName()).isEqualTo("px-auth");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(kept.getMetadata().getUid()).isEqualTo("uid-px-auth");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(kept.getMetadata().getGeneration()).isEqualTo(3L);
        assertThat(kept.getMetadata().getLabels()).containsEntry(KubeDbLabels.INSTANCE, "px");
        assertThat(kept.getMetadata().getAnnotations()).containsOnlyKeys(HASH);
        assertThat(kept.getMetadata().getOwnerReferences()).singleElement().extracting(o -> o.getUid()).isEqualTo("owner");
        assertThat(kept.getMetadata().getFinalizers()).containsExactly("f");
        assertThat(live.getData()).as("the informer's object handed to event handlers is not modified").containsKey("password");
        assertThat(live.getMetadata().getAnnotations()).containsKey(PrunedCaches.LAST_APPLIED);
    }

    @Test
    void aPodKeepsNoSpecOrStatus() {
        Pod live = new PodBuilder().withMetadata(meta("px-0").withDeletionTimestamp("2026-11-25T10:01:00Z").build())
                .withNewSpec().addNewContainer().withName("proxysql").withImage("proxysql:2.6.3").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();

        Pod kept = PrunedCaches.metadataOnlyCopy(Pod.class).apply(live);

        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getStatus()).isNull();
        assertThat(kept.getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-25T10:01:00Z");
    }

    @Test
    void aCustomResourceCopyKeepsItsKind() {
        ProxySQL live = new ProxySQL();
        live.setMetadata(meta("px").build());
        live.setSpec(new ProxySQLSpec());

        ProxySQL kept = PrunedCaches.metadataOnlyCopy(ProxySQL.class).apply(live);

        assertThat(kept.getKind()).isEqualTo("ProxySQL");
        assertThat(kept.getApiVersion()).isEqualTo("kubedb.com/v1");
        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getMetadata().getName()).isEqualTo("px");
    }

    @Test
    void aStatefulSetKeepsReplicasAndStatusButNotItsTemplate() {
        StatefulSet live = new StatefulSetBuilder().withMetadata(meta("px").build())
                .withNewSpec().withReplicas(3).withServiceName("px-pods")
                .withNewTemplate().withNewSpec().addNewContainer().withName("proxysql").withImage("i").endContainer().endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withReplicas(3).withReadyReplicas(2).withUpdateRevision("px-2").endStatus().build();
        ItemStore<StatefulSet> store = PrunedCaches.statefulSetsForStatus();
        store.put(store.getKey(live), live);

        StatefulSet kept = store.get("ns/px");
        assertThat(kept.getSpec().getReplicas()).isEqualTo(3);
        assertThat(kept.getSpec().getTemplate()).isNull();
        assertThat(kept.getSpec().getServiceName()).isNull();
        assertThat(kept.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(kept.getStatus().getUpdateRevision()).isEqualTo("px-2");
        assertThat(kept.getMetadata().getAnnotations()).containsEntry(HASH, "abc");
        assertThat(live.getSpec().getTemplate()).isNotNull();
    }

    @Test
    void anEndpointSliceKeepsWhatNamesTheMembersOnly() {
        io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice live = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
                .withMetadata(meta("db-x1").build()).withAddressType("IPv4")
                .addNewPort().withName("primary").withPort(3306).endPort()
                .addNewEndpoint().withAddresses("10.0.0.1").withHostname("db-0").withNodeName("node-1").withZone("a")
                .withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withName("db-0").withUid("pod-uid").endTargetRef().endEndpoint().build();
        ItemStore<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> store = PrunedCaches.endpointSlicesForMembers();
        store.put(store.getKey(live), live);

        var kept = store.get("ns/db-x1");
        assertThat(kept.getMetadata().getLabels()).isEqualTo(live.getMetadata().getLabels());
        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(kept.getAddressType()).isEqualTo("IPv4");
        assertThat(kept.getPorts()).isEqualTo(live.getPorts());
        var endpoint = kept.getEndpoints().get(0);
        assertThat(endpoint.getAddresses()).containsExactly("10.0.0.1");
        assertThat(endpoint.getHostname()).isEqualTo("db-0");
        assertThat(endpoint.getTargetRef().getUid()).isEqualTo("pod-uid");
        assertThat(endpoint.getConditions()).isNull();
        assertThat(endpoint.getNodeName()).isNull();
        assertThat(endpoint.getZone()).isNull();
    }
}
