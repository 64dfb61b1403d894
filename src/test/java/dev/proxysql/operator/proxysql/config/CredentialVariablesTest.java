package dev.proxysql.operator.proxysql.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialVariablesTest {

    @Test
    void theCredentialsFoundInProxySqlsSourceAndAnyNameThatSaysPasswordAreCredentials() {
        assertThat(List.of("admin-admin_credentials", "admin-stats_credentials", "admin-cluster_password", "mysql-monitor_password",
                "ADMIN-Stats_Credentials", "ldap-bind_passwd", "admin-some_future_secret", "mysql-new_password"))
                .allMatch(CredentialVariables::isCredential);
        // Names next to them that are not secrets: users, file paths, ports.
        assertThat(List.of("admin-cluster_username", "mysql-monitor_username", "mysql-ssl_p2s_key", "admin-ssl_keylog_file",
                "admin-restapi_port", "admin-web_enabled", "mysql-default_authentication_plugin", "admin-refresh_interval"))
                .noneMatch(CredentialVariables::isCredential);
        assertThat(CredentialVariables.isCredential(null)).isFalse();
    }

    @Test
    void redactedMasksOnlyTheCredentialsAndCredentialsOfKeepsOnlyThem() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("admin-stats_credentials", "stats:S3cret");
        given.put("admin-refresh_interval", "2000");
        assertThat(CredentialVariables.redacted(given)).containsExactly(Map.entry("admin-stats_credentials", "<redacted>"),
                Map.entry("admin-refresh_interval", "2000"));
        assertThat(CredentialVariables.credentialsOf(given)).containsExactly(Map.entry("admin-stats_credentials", "stats:S3cret"));
        assertThat(CredentialVariables.shown("admin-stats_credentials", null)).as("nothing to hide").isNull();
    }
}
