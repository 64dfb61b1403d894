package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminConnectorTest {

    private static final AdminCredentials CREDENTIALS = new AdminCredentials("cluster", "pw-in-properties-only");

    @Test
    void urlNamesOnlyHostAndPort() {
        assertThat(AdminConnector.url(new AdminEndpoint("mysql-proxy-1.mysql-proxy-pods.demo.svc", 6032)))
                .isEqualTo("jdbc:mariadb://mysql-proxy-1.mysql-proxy-pods.demo.svc:6032/");
        assertThat(AdminConnector.url(new AdminEndpoint("::1", 16032))).isEqualTo("jdbc:mariadb://[::1]:16032/");
    }

    @Test
    void timeoutsAndCredentialsGoIntoDriverProperties() {
        Properties p = AdminConnector.connectionProperties(CREDENTIALS,
                new AdminTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(3)));

        assertThat(p.getProperty("user")).isEqualTo("cluster");
        assertThat(p.getProperty("password")).isEqualTo("pw-in-properties-only");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("1500");
        assertThat(p.getProperty("socketTimeout")).isEqualTo("3000");
    }

    @Test
    void optionsKeepTheDriverFromSendingStatementsTheAdminModuleRejects() {
        Properties p = AdminConnector.connectionProperties(CREDENTIALS, AdminTimeouts.DEFAULT);

        assertThat(p.getProperty("jdbcCompliantTruncation")).isEqualTo("false");
        assertThat(p.getProperty("useServerPrepStmts")).isEqualTo("false");
        assertThat(p.getProperty("connectionTimeZone")).isEqualTo("LOCAL");
        assertThat(p.getProperty("forceConnectionTimeZoneToSession")).isEqualTo("false");
        assertThat(p).doesNotContainKeys("sessionVariables", "initSql", "database", "autocommit");
    }

    @Test
    void loginCannotBeSwitchedToAClearTextPlugin() {
        Properties p = AdminConnector.connectionProperties(CREDENTIALS, AdminTimeouts.DEFAULT);

        assertThat(p.getProperty("restrictedAuth")).doesNotContain("clear").doesNotContain("dialog");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host/db", "host?allowLocalInfile=true", "a,b", "user@host", "host name"})
    void rejectsHostsThatWouldChangeTheUrl(String host) {
        assertThatThrownBy(() -> new AdminEndpoint(host, 6032)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void rejectsPortsOutsideTcpRange(int port) {
        assertThatThrownBy(() -> new AdminEndpoint("localhost", port)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultPortIsProxySqlAdminPort() {
        assertThat(AdminEndpoint.of("mysql-proxy-0.mysql-proxy-pods.demo.svc").port()).isEqualTo(6032);
    }

    @Test
    void rejectsTimeoutsTheDriverWouldReadAsForever() {
        assertThatThrownBy(() -> new AdminTimeouts(Duration.ZERO, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdminTimeouts(Duration.ofSeconds(5), Duration.ofNanos(999)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdminTimeouts(Duration.ofSeconds(5), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
