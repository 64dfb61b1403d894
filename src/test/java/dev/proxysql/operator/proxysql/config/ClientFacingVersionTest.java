package dev.proxysql.operator.proxysql.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version ProxySQL announces to clients must tell MariaDB from MySQL, or client libraries pick the wrong dialect. */
class ClientFacingVersionTest {

    @Test
    void aMariaDbBackendIsAnnouncedAsMariaDb() {
        assertThat(MySqlVariableDefaults.clientFacingVersion("kubedb.com/mariadb", "10.11.2")).isEqualTo("10.11.2-MariaDB");
        assertThat(MySqlVariableDefaults.clientFacingVersion("MariaDB", "11.4.3-MariaDB")).isEqualTo("11.4.3-MariaDB");
        assertThat(MySqlVariableDefaults.clientFacingVersion("kubedb.com/mariadb", null)).isEqualTo("10.11.0-MariaDB");
    }

    @Test
    void otherBackendsKeepTheirVersion() {
        assertThat(MySqlVariableDefaults.clientFacingVersion("kubedb.com/mysql", "8.4.3")).isEqualTo("8.4.3");
        assertThat(MySqlVariableDefaults.clientFacingVersion("perconaxtradb", " 8.0.36-28.1 ")).isEqualTo("8.0.36-28.1");
        assertThat(MySqlVariableDefaults.clientFacingVersion(null, "")).isEqualTo(MySqlVariableDefaults.DEFAULT_SERVER_VERSION);
    }
}
