package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.provisioner.status.ConditionTypes;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalBackendBinding;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The monitor identity cannot be borrowed: the provisioner runs CREATE/ALTER USER with the backend's admin credentials
 * only for this ProxySQL's own monitor user. A {@code <name>-monitor} Secret naming another account (here a DBA account
 * with every privilege), made beforehand or edited after the operator created it (its labels and owner in place), is
 * refused with a condition naming the Secret, the account is left alone on the real MariaDB, and nothing is retried in
 * a loop of errors. Deleting the Secret lets the operator make its own.
 */
@LocalCluster
class MonitorIdentityIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String DBA = "dba";
    private static final String DBA_PASSWORD = "DbaPassword12345";
    private static final String BORROWED = "Borrowed12345678";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(ADMIN, ADMIN_PASSWORD).withUser(DBA, DBA_PASSWORD, "ALL PRIVILEGES ON *.*");

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startProvisioner);

    @Test
    void aMonitorSecretNamingAnotherAccountIsRefusedAndTheAccountIsLeftAlone(KubernetesClient client, TestNamespace ns) throws Exception {
        LocalBackendBinding.bind(client, ns.name(), MARIADB, ADMIN, ADMIN_PASSWORD);
        client.resource(new SecretBuilder().withNewMetadata().withName("px-monitor").withNamespace(ns.name()).endMetadata()
                .withType("kubernetes.io/basic-auth").withStringData(Map.of("username", DBA, "password", BORROWED)).build()).create();
        client.resource(OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1)).create();

        Condition refused = awaitNotOwned(client);
        String ownUser = ProxySQLNames.monitorUser(client.resources(ProxySQL.class).withName("px").get());
        assertThat(refused.getMessage()).isEqualTo("Secret \"px-monitor\": its username is not this ProxySQL's monitor user '" + ownUser
                + "', and the operator creates and changes only that user on the backend, never an account another Secret names;"
                + " delete the Secret and the operator creates its own").doesNotContain(DBA);
        assertThat(client.apps().statefulSets().withName("px").get()).as("nothing provisioned with the borrowed identity").isNull();
        assertThat(client.secrets().withName("px-monitor").get().getMetadata().getLabels()).as("the Secret is not adopted").isNullOrEmpty();
        assertDbaUntouched();

        // Deleted: the operator makes its own Secret and its own user.
        client.secrets().withName("px-monitor").delete();
        Await.until(TIMEOUT, "the monitor user to be ensured on MariaDB", () -> condition(client, ConditionTypes.MONITOR_USER_READY),
                c -> c.isPresent() && "True".equals(c.get().getStatus()));
        Secret own = client.secrets().withName("px-monitor").get();
        assertThat(text(own, "username")).isEqualTo(ownUser);
        assertThat(own.getMetadata().getLabels()).isNotEmpty();

        // The operator's own Secret, edited to name the DBA: its labels (and owner) do not make the account the operator's.
        client.secrets().withName("px-monitor").edit(s -> new SecretBuilder(s).withData(null)
                .withStringData(Map.of("username", DBA, "password", BORROWED)).build());
        awaitNotOwned(client);
        assertDbaUntouched();
    }

    private static Condition awaitNotOwned(KubernetesClient client) {
        return Await.until(TIMEOUT, "DatabaseDependencyReady=False with reason MonitorSecretNotOwned",
                () -> condition(client, ConditionTypes.DEPENDENCY_READY),
                c -> c.isPresent() && "False".equals(c.get().getStatus()) && "MonitorSecretNotOwned".equals(c.get().getReason())).orElseThrow();
    }

    private static Optional<Condition> condition(KubernetesClient client, String type) {
        ProxySQL p = client.resources(ProxySQL.class).withName("px").get();
        return p == null || p.getStatus() == null ? Optional.empty() : Conditions.find(p.getStatus().getConditions(), type);
    }

    /** The DBA still logs in with its own password, and not with the one the Secret offered. */
    private static void assertDbaUntouched() throws SQLException {
        try (Connection c = login(DBA_PASSWORD)) {
            assertThat(c.isValid(5)).isTrue();
        }
        try (Connection c = login(BORROWED)) {
            throw new AssertionError("the DBA's password was changed to the borrowed Secret's");
        } catch (SQLException expected) {
            assertThat(expected.getMessage()).contains("Access denied");
        }
    }

    private static Connection login(String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", DBA);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5000");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + LocalMariaDb.HOST + ":" + MARIADB.port() + "/", p);
    }

    private static String text(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
}
