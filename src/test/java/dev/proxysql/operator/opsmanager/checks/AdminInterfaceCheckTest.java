package dev.proxysql.operator.opsmanager.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.ClusterPeer;
import dev.proxysql.operator.testing.OperatorFixture;
import org.junit.jupiter.api.Test;

/** Which peers the check expects a node to list, depending on how the operator reaches pods. */
class AdminInterfaceCheckTest {

    private static final ProxySQL PX = OperatorFixture.proxysql("demo", "px", "2.6.5-local", 3);

    @Test
    void byDefaultThePeersAreThePodsStableDnsNames() {
        assertThat(new AdminInterfaceCheck(null).expectedPeers(PX)).containsExactly(
                new ClusterPeer("px-0.px-pods.demo.svc", 6032), new ClusterPeer("px-1.px-pods.demo.svc", 6032),
                new ClusterPeer("px-2.px-pods.demo.svc", 6032));
    }

    @Test
    void podsReachedByAnotherAddressAreStillExpectedUnderTheirRenderedNames() {
        AdminEndpoints byIp = new AdminEndpoints() {
            @Override
            public AdminEndpoint of(ProxySQL p, String pod) {
                return new AdminEndpoint("10.244.0." + pod.charAt(pod.length() - 1), 6032);
            }

            @Override
            public AdminEndpoint peer(ProxySQL p, String pod) {
                return AdminEndpoints.podDns().of(p, pod);
            }
        };
        assertThat(new AdminInterfaceCheck(null, byIp).expectedPeers(PX)).containsExactly(
                new ClusterPeer("px-0.px-pods.demo.svc", 6032), new ClusterPeer("px-1.px-pods.demo.svc", 6032),
                new ClusterPeer("px-2.px-pods.demo.svc", 6032));
    }

    @Test
    void withOnlyAnAddressThePeersAreWhereThePodsAreReached() {
        AdminEndpoints loopback = (p, pod) -> new AdminEndpoint("127.0.0." + (2 + pod.charAt(pod.length() - 1) - '0'), 16032);
        assertThat(new AdminInterfaceCheck(null, loopback).expectedPeers(PX)).containsExactly(
                new ClusterPeer("127.0.0.2", 16032), new ClusterPeer("127.0.0.3", 16032), new ClusterPeer("127.0.0.4", 16032));
    }
}
