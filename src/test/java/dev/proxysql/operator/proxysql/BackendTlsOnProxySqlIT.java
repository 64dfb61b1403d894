package dev.proxysql.operator.proxysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.proxysql.config.Backend;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.BackendServer;
import dev.proxysql.operator.proxysql.config.BackendTls;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.proxysql.config.InlineInitConfig;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.proxysql.config.ProxySqlConfigInput;
import dev.proxysql.operator.proxysql.config.ProxySqlPeers;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.tls.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backend TLS as the provisioner renders it for an AppBinding with {@code spec.tlsSecret}: {@code use_ssl=1} on the
 * server and {@code mysql-ssl_p2s_ca} naming the Secret's {@code ca.crt}. The MariaDB backend serves a certificate of
 * a test CA and admits the application user only over TLS ({@code REQUIRE SSL}); a client talking plain TCP to
 * ProxySQL reaches it, and the backend reports the session encrypted. With another CA in {@code ssl_p2s_ca} ProxySQL
 * cannot connect: the CA is used to verify the backend, not only to encrypt.
 */
class BackendTlsOnProxySqlIT {
    private static final Credentials CLUSTER = new Credentials("cluster", "Backend-Tls-Pw-0042");
    private static final Credentials MONITOR = new Credentials("proxysql", "Monitor-Pw-0042");
    private static final String APP_USER = "vault";
    private static final String APP_PASSWORD = "Vault-Pw-0042";
    private static final Path CERTS = certificates();

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb()
            .withServerOptions("--ssl-ca=" + CERTS.resolve("ca.crt"), "--ssl-cert=" + CERTS.resolve("server.crt"),
                    "--ssl-key=" + CERTS.resolve("server.key"))
            .withUser(MONITOR.username(), MONITOR.password())
            .withUser(APP_USER, APP_PASSWORD)
            .withInitStatement("ALTER USER '" + APP_USER + "'@'" + LocalMariaDb.HOST + "' REQUIRE SSL");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void proxySqlReachesABackendThatRequiresTlsAndVerifiesItWithTheAppBindingsCa(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.start(version, render(CERTS));
        try (Connection app = connect(node); Statement sql = app.createStatement()) {
            try (ResultSet rs = sql.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_version'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).as("the backend session ProxySQL opened is encrypted").startsWith("TLSv1.");
            }
            try (ResultSet rs = sql.executeQuery("SELECT @@port")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(MARIADB.port());
            }
        }
        node.stop();

        Path otherCa = Files.createTempDirectory("other-ca-");
        Files.writeString(otherCa.resolve("ca.crt"), CertificateAuthority.pem(CertificateAuthority.create("not the backend's CA",
                Duration.ofDays(1)).certificate()));
        ProxySqlNode untrusting = PROXYSQL.start(version, render(otherCa));
        assertThatThrownBy(() -> {
            try (Connection app = connect(untrusting); Statement sql = app.createStatement()) {
                sql.executeQuery("SELECT 1").close();
            }
        }).as("a backend certificate the configured CA did not sign is refused").isInstanceOf(SQLException.class);
    }

    private static Connection connect(ProxySqlNode node) throws SQLException {
        return node.connectAsClient(APP_USER, APP_PASSWORD, Map.of());
    }

    /** As the provisioner renders an AppBinding with a tlsSecret mounted at {@code caDir}. */
    private static String render(Path caDir) throws Exception {
        Backend backend = new Backend(BackendMode.STANDALONE, List.of(new BackendServer(LocalMariaDb.HOST, MARIADB.port(), true)),
                BackendTls.caOnly(caDir.toString()), "10.11.0-MariaDB");
        InitSecret users = new InitSecret("users", Map.of(InitSecret.MYSQL_USERS_KEY, "mysql_users=(\n { username=\"" + APP_USER
                + "\"; password=\"" + ClientTrafficIT.nativePasswordHash(APP_PASSWORD) + "\"; default_hostgroup=2; active=1 }\n)\n"));
        return ProxySqlCnfRenderer.render(new ProxySqlConfigInput(CLUSTER, MONITOR, backend,
                ProxySqlPeers.stableDnsNames("px", "demo", 1), InlineInitConfig.empty(), users)).cnfOrThrow();
    }

    /** A CA and the MariaDB server's certificate, as files. */
    private static Path certificates() {
        try {
            Path dir = Files.createTempDirectory("backend-tls-");
            CertificateAuthority ca = CertificateAuthority.create("backend CA", Duration.ofDays(1));
            CertificateAuthority.Issued server = ca.issue(List.of("mariadb", LocalMariaDb.HOST), Duration.ofDays(1),
                    KeyPurposeId.id_kp_serverAuth);
            Files.writeString(dir.resolve("ca.crt"), CertificateAuthority.pem(ca.certificate()));
            Files.writeString(dir.resolve("server.crt"), server.certificatePem());
            Files.writeString(dir.resolve("server.key"), server.keyPem());
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
