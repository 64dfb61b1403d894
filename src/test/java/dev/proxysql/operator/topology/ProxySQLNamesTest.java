package dev.proxysql.operator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class ProxySQLNamesTest {

    @Test
    void everyProxySqlHasItsOwnStableMonitorUserWithinMySqlsLimit() {
        String a = ProxySQLNames.monitorUser(proxysql("demo", "proxy-server"));
        assertThat(a).matches("proxysql_[0-9a-f]{8}").hasSizeLessThanOrEqualTo(32);
        assertThat(ProxySQLNames.monitorUser(proxysql("demo", "proxy-server"))).isEqualTo(a);
        assertThat(ProxySQLNames.monitorUser(proxysql("demo", "other-proxy"))).isNotEqualTo(a);
        assertThat(ProxySQLNames.monitorUser(proxysql("prod", "proxy-server"))).isNotEqualTo(a);
    }

    private static ProxySQL proxysql(String namespace, String name) {
        ProxySQL p = new ProxySQL();
        p.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        return p;
    }
}
