package dev.proxysql.operator.proxysql.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What real servers answer to {@link BackendModeReader}: Debian's MariaDB 10.11 standalone, and the same server as a
 * one-node Galera cluster (Debian's galera-4 provider, bootstrapped with an empty {@code gcomm://}). A three-node
 * cluster is another fixture's (testing/galera); the reading does not depend on the cluster's size.
 */
class BackendModeReaderIT {
    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String PROVIDER = "/usr/lib/galera/libgalera_smm.so";

    @RegisterExtension
    static final LocalMariaDb STANDALONE = new LocalMariaDb().withAdmin(ADMIN, ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalMariaDb GALERA = new LocalMariaDb().withAdmin(ADMIN, ADMIN_PASSWORD).withServerOptions(
            "--wsrep-on=ON", "--wsrep-provider=" + PROVIDER, "--wsrep-cluster-address=gcomm://",
            "--wsrep-node-address=" + LocalMariaDb.HOST,
            "--wsrep-provider-options=gmcast.listen_addr=tcp://" + LocalMariaDb.HOST + ":" + freePort(),
            "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2");

    private final BackendModeReader reader = BackendModeReader.withDefaultTimeouts();

    @Test
    void aStandaloneMariaDbHasWsrepOffAndNoGroupReplication() {
        BackendModeReading r = reader.read(LocalMariaDb.HOST, STANDALONE.port(), new Credentials(ADMIN, ADMIN_PASSWORD));
        assertThat(r.observation()).as("%s", r).hasValueSatisfying(o -> {
            assertThat(o.version()).contains("MariaDB");
            assertThat(o.wsrepOn()).isEqualTo("OFF");
            assertThat(o.wsrepProvider()).isEqualTo("none");
            assertThat(o.wsrepClusterSize()).as("MariaDB reports a cluster of 0 without a provider").isZero();
            assertThat(o.pxcMaintMode()).isNull();
            assertThat(o.groupReplicationPlugin()).isNull();
            assertThat(o.groupMembers()).isEmpty();
        });
    }

    @Test
    void aGaleraNodeHasWsrepOnItsProviderAndAClusterSize() {
        BackendModeReading r = reader.read(LocalMariaDb.HOST, GALERA.port(), new Credentials(ADMIN, ADMIN_PASSWORD));
        assertThat(r.observation()).as("%s", r).hasValueSatisfying(o -> {
            assertThat(o.wsrepOn()).isEqualTo("ON");
            assertThat(o.wsrepProvider()).isEqualTo(PROVIDER);
            assertThat(o.wsrepClusterSize()).isEqualTo(1);
            assertThat(o.wsrepClusterStatus()).isEqualTo("Primary");
            assertThat(o.groupReplicationPlugin()).isNull();
        });
    }

    @Test
    void aRefusedLoginIsTheBackendsAnswerWithoutThePassword() {
        BackendModeReading r = reader.read(LocalMariaDb.HOST, STANDALONE.port(), new Credentials(ADMIN, "WrongPassword123"));
        assertThat(r.observation()).isEmpty();
        assertThat(r.reason()).isEqualTo(MonitorUserResult.LOGIN_REFUSED);
        assertThat(r.message()).startsWith("backend " + LocalMariaDb.HOST + ":" + STANDALONE.port()
                + " refused the login of the AppBinding's user '" + ADMIN + "'").doesNotContain("WrongPassword123");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LocalMariaDb.HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
