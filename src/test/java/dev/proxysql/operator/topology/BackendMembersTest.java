package dev.proxysql.operator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.proxysql.config.BackendMode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendMembersTest {
    private static final String NS = "demo";
    private static final AppBinding SERVICE_BINDING = binding("clientConfig: {service: {name: mariadb, port: 3306, scheme: mysql}}");
    private static final BackendAddress SERVICE = new BackendAddress("mariadb.demo.svc", 3306);

    /** KubeDB's MariaDB: the primary Service is not headless, its pods have hostname = pod name, subdomain mariadb-pods. */
    @Test
    void everyPodOfTheServiceByItsStableDnsNameSortedByOrdinal() {
        List<String> names = List.of("mariadb-10", "mariadb-2", "mariadb-0", "mariadb-1");
        EndpointSlice slice = slice("mariadb-x1", "mariadb", 3306,
                names.stream().map(n -> podEndpoint("10.0.0." + n.substring(8), n, names.indexOf(n) != 1)).toArray(Endpoint[]::new));
        Map<String, Pod> pods = Map.of("mariadb-0", pod("mariadb-0", "mariadb-pods"), "mariadb-1", pod("mariadb-1", "mariadb-pods"),
                "mariadb-2", pod("mariadb-2", "mariadb-pods"), "mariadb-10", pod("mariadb-10", "mariadb-pods"));

        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GALERA, List.of(slice), pods)).containsExactly(
                new BackendAddress("mariadb-0.mariadb-pods.demo.svc", 3306),
                new BackendAddress("mariadb-1.mariadb-pods.demo.svc", 3306),
                new BackendAddress("mariadb-2.mariadb-pods.demo.svc", 3306),
                new BackendAddress("mariadb-10.mariadb-pods.demo.svc", 3306));
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GROUP_REPLICATION, List.of(slice), pods)).hasSize(4);
    }

    @Test
    void aHeadlessServicesEndpointHostnameIsUsedWithoutThePod() {
        Endpoint named = new EndpointBuilder().withAddresses("10.0.0.7").withHostname("db-0").build();
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GALERA, List.of(slice("s", "mariadb", 3306, named)), Map.of()))
                .containsExactly(new BackendAddress("db-0.mariadb.demo.svc", 3306));
    }

    /** A Service without selector and a hand-made slice (an external cluster), or a pod without hostname: addresses. */
    @Test
    void endpointsWithoutAStableNameAreRenderedByAddressAcrossSlicesOnce() {
        EndpointSlice first = slice("a", "mariadb", 3306, address("127.0.0.12"), address("127.0.0.3"), podEndpoint("10.0.0.9", "no-such-pod", true));
        EndpointSlice second = slice("b", "mariadb", 3306, address("127.0.0.3"), address("127.0.0.4"));
        EndpointSlice otherService = slice("c", "other", 3306, address("127.0.0.99"));
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GALERA, List.of(first, second, otherService), Map.of()))
                .extracting(BackendAddress::host).containsExactly("10.0.0.9", "127.0.0.3", "127.0.0.4", "127.0.0.12");
    }

    @Test
    void theSingleAddressForAStandaloneServerAUrlOrAServiceWithoutEndpoints() {
        EndpointSlice slice = slice("a", "mariadb", 3306, address("127.0.0.3"), address("127.0.0.4"));
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.STANDALONE, List.of(slice), Map.of())).containsExactly(SERVICE);
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GALERA, List.of(), Map.of())).containsExactly(SERVICE);
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GALERA, List.of(slice("a", "mariadb", 3306)), Map.of()))
                .as("a slice with no endpoints").containsExactly(SERVICE);
        AppBinding url = binding("clientConfig: {url: \"tcp(mariadb.demo.svc:3307)/\"}");
        assertThat(BackendMembers.of(url, BackendMode.GALERA, List.of(slice), Map.of()))
                .containsExactly(new BackendAddress("mariadb.demo.svc", 3307));
        assertThat(BackendMembers.of(binding("clientConfig: {}"), BackendMode.GALERA, List.of(slice), Map.of())).isEmpty();
    }

    @Test
    void theSlicesOfTheServiceInAnotherNamespaceAreNotMembers() {
        EndpointSlice elsewhere = slice("a", "mariadb", 3306, address("127.0.0.3"));
        elsewhere.getMetadata().setNamespace("other");
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GALERA, List.of(elsewhere), Map.of())).containsExactly(SERVICE);
    }

    /** The slice's port is the target port: where a member is reached directly, not through the Service. */
    @Test
    void theMembersPortIsTheSlicesTargetPort() {
        EndpointSlice targetPort = slice("a", "mariadb", 3307, address("127.0.0.3"));
        assertThat(BackendMembers.of(SERVICE_BINDING, BackendMode.GALERA, List.of(targetPort), Map.of()))
                .containsExactly(new BackendAddress("127.0.0.3", 3307));
        EndpointSlice twoPorts = slice("b", "mariadb", 3306, address("127.0.0.3"));
        twoPorts.getPorts().add(new EndpointPortBuilder().withName("metrics").withPort(9104).build());
        assertThat(BackendMembers.port(twoPorts, 3306)).isEqualTo(3306);
        twoPorts.getPorts().get(0).setPort(4000);
        assertThat(BackendMembers.port(twoPorts, 3306)).as("none is the AppBinding's").isEqualTo(3306);
    }

    @Test
    void onlyPodsWithoutAnEndpointHostnameAreToBeLookedUp() {
        EndpointSlice slice = slice("a", "mariadb", 3306, podEndpoint("10.0.0.1", "db-0", true), address("127.0.0.3"),
                new EndpointBuilder().withAddresses("10.0.0.2").withHostname("db-1")
                        .withNewTargetRef().withKind("Pod").withName("db-1").endTargetRef().build());
        assertThat(BackendMembers.podsToName(List.of(slice))).extracting(r -> r.getName()).containsExactly("db-0");
    }

    @Test
    void naturalOrder() {
        List<String> hosts = new ArrayList<>(List.of("db-10", "db-9", "db-09x", "10.0.0.10", "10.0.0.9", "db", "db-1"));
        hosts.sort(BackendMembers::compareNatural);
        assertThat(hosts).containsExactly("10.0.0.9", "10.0.0.10", "db", "db-1", "db-9", "db-09x", "db-10");
    }

    private static AppBinding binding(String clientConfig) {
        return Serialization.unmarshal("""
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: mariadb, namespace: demo}
                spec:
                  type: kubedb.com/mariadb
                  %s
                  secret: {name: mariadb-auth}
                """.formatted(clientConfig), AppBinding.class);
    }

    private static EndpointSlice slice(String name, String service, int port, Endpoint... endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels(BackendMembers.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4")
                .withPorts(new ArrayList<>(List.of(new EndpointPortBuilder().withName("primary").withPort(port).build())))
                .withEndpoints(new ArrayList<>(Arrays.asList(endpoints))).build();
    }

    private static Endpoint address(String ip) {
        return new EndpointBuilder().withAddresses(ip).build();
    }

    private static Endpoint podEndpoint(String ip, String pod, boolean ready) {
        return new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(ready).endConditions()
                .withNewTargetRef().withKind("Pod").withName(pod).withNamespace(NS).endTargetRef().build();
    }

    private static Pod pod(String name, String subdomain) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withHostname(name).withSubdomain(subdomain).endSpec().build();
    }
}
