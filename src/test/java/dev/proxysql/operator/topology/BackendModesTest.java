package dev.proxysql.operator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.testing.OperatorFixture;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mode both controllers render without asking the backend: override, else the provisioner's record, else the hint. */
class BackendModesTest {

    @Test
    void theHintIsKubeDbsRuleByAppBindingType() {
        assertThat(BackendModes.hint(binding("kubedb.com/mariadb"))).isEqualTo(BackendMode.GALERA);
        assertThat(BackendModes.hint(binding("kubedb.com/perconaxtradb"))).isEqualTo(BackendMode.GALERA);
        assertThat(BackendModes.hint(binding("kubedb.com/mysql"))).isEqualTo(BackendMode.GROUP_REPLICATION);
        assertThat(BackendModes.hint(binding("example.com/standalone-server"))).isEqualTo(BackendMode.STANDALONE);
    }

    @Test
    void inUseTakesTheOverrideThenTheRecordThenTheHint() {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);
        AppBinding mariadb = binding("kubedb.com/mariadb");
        assertThat(BackendModes.inUse(p, mariadb)).isEqualTo(BackendMode.GALERA);

        ProxySQLStatus status = new ProxySQLStatus();
        status.setConditions(List.of(new Condition(BackendModes.CONDITION, "True", "Standalone", "Read from backend ...")));
        p.setStatus(status);
        assertThat(BackendModes.inUse(p, mariadb)).isEqualTo(BackendMode.STANDALONE);

        p.getMetadata().setAnnotations(Map.of(BackendModes.OVERRIDE_ANNOTATION, " groupreplication "));
        assertThat(BackendModes.inUse(p, mariadb)).isEqualTo(BackendMode.GROUP_REPLICATION);

        p.getMetadata().setAnnotations(Map.of(BackendModes.OVERRIDE_ANNOTATION, "nonsense"));
        assertThat(BackendModes.inUse(p, mariadb)).as("an invalid override is ignored here (the provisioner reports it)")
                .isEqualTo(BackendMode.STANDALONE);
    }

    @Test
    void namesAreKubeDbsSpelling() {
        for (BackendMode mode : BackendMode.values()) {
            assertThat(BackendModes.parse(BackendModes.name(mode))).contains(mode);
        }
        assertThat(BackendModes.name(BackendMode.GROUP_REPLICATION)).isEqualTo("GroupReplication");
        assertThat(BackendModes.parse("MasterSlave")).isEmpty();
        assertThat(BackendModes.parse(null)).isEmpty();
    }

    private static AppBinding binding(String type) {
        AppBinding b = Serialization.unmarshal(BackendModesTest.class.getResourceAsStream("/manifests/appbinding-mysql.yaml"), AppBinding.class);
        b.getSpec().setType(type);
        return b;
    }
}
