package dev.proxysql.operator.proxysql.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.opsmanager.checks.NodeCheck;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The monitor user the operator creates on the backend, with only the monitor's grants, is enough for real ProxySQL's
 * monitor: its connect and ping checks of the MariaDB backend succeed and the pod check passes. A monitor password
 * that the backend does not know shows up as the monitor's error instead, so the check can tell.
 */
class MonitorUserOnProxySqlIT {

    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final Duration MONITOR_DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(ADMIN, ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @Test
    void proxySqlsMonitorWorksWithTheGrantsTheOperatorGives() throws Exception {
        Credentials monitor = new Credentials("proxysql_5e1f00d1", "MonitorPw000000000042");
        MonitorUserResult ensured = MonitorUserProvisioner.withDefaultTimeouts().ensure(LocalMariaDb.HOST, MARIADB.port(),
                new Credentials(ADMIN, ADMIN_PASSWORD), monitor, MonitorGrant.forMode(BackendMode.STANDALONE));
        assertThat(ensured.ensured()).as("%s", ensured).isTrue();

        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(monitor));

        VerifyResult check = Await.until(MONITOR_DEADLINE, "the pod check to pass with the operator's monitor user",
                () -> NodeCheck.run(client(node), ProxySqlBuilds.newest(), Set.of()), VerifyResult::passed);
        assertThat(check.message()).contains("reaches its backend");
        try (AdminSession admin = node.session()) {
            List<Map<String, String>> connects = admin.rows("SELECT connect_error FROM monitor.mysql_server_connect_log");
            assertThat(connects).as("monitor connect checks").isNotEmpty()
                    .allSatisfy(row -> assertThat(row.get("connect_error")).isNull());
        }
    }

    @Test
    void aMonitorPasswordTheBackendDoesNotKnowIsTheMonitorsError() throws Exception {
        Credentials unknown = new Credentials("proxysql_0badc0de", "NotOnTheBackend0042");
        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(unknown));

        VerifyResult check = Await.until(MONITOR_DEADLINE, "the monitor's refused login in the pod check",
                () -> NodeCheck.run(client(node), ProxySqlBuilds.newest(), Set.of()),
                r -> r.message().contains("backend unreachable"));

        assertThat(check.pending()).as("%s", check.message()).isTrue();
        assertThat(check.message()).contains("Access denied for user 'proxysql_0badc0de'");
    }

    private static String render(Credentials monitor) {
        return TestConfigs.standalone(monitor, MARIADB.port(), 1, null, false);
    }

    private static ProxySQLAdminClient client(ProxySqlNode node) {
        return new ProxySQLAdminClient(node.adminEndpoint(), node.adminCredentials());
    }
}
