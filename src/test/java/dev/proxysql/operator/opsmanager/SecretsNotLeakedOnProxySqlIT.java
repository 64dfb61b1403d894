package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import dev.proxysql.operator.api.kubedb.v1.MySQLUser;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * No credential reaches an Event, a condition, the status of our resources or the operator's log (captured at trace
 * level for the operator, JOSDK and fabric8) through what only real ProxySQL exercises: the provisioner's user sync
 * (a declared user gets the backend's hash), a RotateAuth with a generated password, a Reconfigure of
 * {@code admin-stats_credentials} that succeeds and one that fails mid-way and is rolled back (its previous value
 * must come back on the pod, from the request's {@code -previous} Secret, not from the status).
 */
@LocalCluster
class SecretsNotLeakedOnProxySqlIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String APP_PASSWORD = "LeakAppPw73519";
    private static final String STATS_INITIAL = "stats:StatsInitialPw48213";
    private static final String STATS_NEW = "stats:StatsNewPw90417";
    private static final String STATS_ROLLED_BACK = "stats:StatsDoomedPw66502";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(RealProxySqlDeployment.ADMIN, RealProxySqlDeployment.ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = RealProxySqlDeployment.operator(RealProxySqlDeployment::installLocalVersions);

    @Test
    void userSyncRotateAuthAndReconfigureOfStatsCredentialsLeaveNoSecretInEventsConditionsStatusOrLog(KubernetesClient client,
                                                                                                      TestNamespace ns) throws Exception {
        MARIADB.execute("CREATE OR REPLACE USER 'leakapp'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'", "GRANT SELECT ON *.* TO 'leakapp'@'%'");
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        Map<String, String> secrets = new LinkedHashMap<>();
        try (CapturedLog log = CapturedLog.capture()) {
            try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, ProxySqlBuilds.newest(), PROXYSQL, p -> {
                var inline = p.getSpec().getConfiguration().getInit().getInline();
                inline.getAdminVariables().put("stats_credentials", STATS_INITIAL);
                MySQLUser app = new MySQLUser();
                app.setUsername("leakapp");
                inline.setMysqlUsers(List.of(app));
            })) {
                // User sync: the provisioner gave the declared user the backend's hash.
                String appHash = backendHash("leakapp");
                Await.until(TIMEOUT, "leakapp in px-0's runtime_mysql_users with the backend's hash", () -> {
                    try (AdminSession admin = pods.node("px-0").session()) {
                        return admin.value("SELECT password FROM runtime_mysql_users WHERE username = 'leakapp' LIMIT 1");
                    } catch (java.sql.SQLException notYet) {
                        return null;
                    }
                }, appHash::equals);
                String oldClusterPassword = password(client.secrets().withName("px-auth").get());

                // RotateAuth with a generated password.
                client.resource(OpsFixture.rotateAuth(ns, "rotate", "px", null, "1m")).create();
                awaitOps(client, "rotate", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
                String newClusterPassword = password(client.secrets().withName("px-auth").get());
                assertThat(newClusterPassword).as("RotateAuth generated a new password").isNotEqualTo(oldClusterPassword);

                // A Reconfigure of admin-stats_credentials that succeeds.
                client.resource(OpsFixture.reconfigure(ns, "stats", "px", "adminVariables: {stats_credentials: \"" + STATS_NEW + "\"}",
                        "1m")).create();
                ProxySQLOpsRequest done = awaitOps(client, "stats", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
                assertThat(message(done, "ReconfigurePod--px-0")).contains("admin-stats_credentials=<redacted>");
                for (String pod : List.of("px-0", "px-1")) {
                    assertThat(statsCredentials(client, pods, pod)).as(pod).isEqualTo(STATS_NEW);
                }

                // One that fails mid-way (px-1 does not answer): px-0 gets its previous value back, kept out of the status.
                pods.node("px-1").stop();
                client.resource(OpsFixture.reconfigure(ns, "doomed", "px", "adminVariables: {stats_credentials: \"" + STATS_ROLLED_BACK
                        + "\"}", "5s")).create();
                ProxySQLOpsRequest failed = awaitOps(client, "doomed", OpsRequestPhase.FAILED, TIMEOUT);
                assertThat(message(failed, "Failed")).contains("rolled back");
                assertThat(failed.getStatus().getProgress().getReconfigure().getPreviousVariables())
                        .containsExactly(Map.entry("admin-stats_credentials", "<redacted>"));
                assertThat(statsCredentials(client, pods, "px-0")).as("the previous value is back on px-0").isEqualTo(STATS_NEW);
                assertNotPaused(client, "px");

                secrets.put("user leakapp's password", APP_PASSWORD);
                secrets.put("user leakapp's hash", appHash);
                secrets.put("the cluster password before RotateAuth", oldClusterPassword);
                secrets.put("the cluster password RotateAuth generated", newClusterPassword);
                secrets.put("the monitor password", password(client.secrets().withName("px-monitor").get()));
                secrets.put("the backend's admin password", RealProxySqlDeployment.ADMIN_PASSWORD);
                secrets.put("the initial stats_credentials", STATS_INITIAL);
                secrets.put("the stats_credentials set", STATS_NEW);
                secrets.put("the stats_credentials rolled back", STATS_ROLLED_BACK);
            } finally {
                MARIADB.execute("DROP USER IF EXISTS 'leakapp'@'%'");
            }
            String text = log.text();
            List<Event> events = client.v1().events().list().getItems();
            String status = Serialization.asJson(client.resources(ProxySQL.class).list().getItems().stream().map(ProxySQL::getStatus).toList())
                    + Serialization.asJson(client.resources(ProxySQLOpsRequest.class).list().getItems().stream()
                    .map(ProxySQLOpsRequest::getStatus).toList());
            assertThat(text).as("the log was captured at trace level").contains("TRACE");
            assertThat(status).as("the requests' status was read").contains("ReconfigurePod--px-0");
            assertThat(events).as("the requests' Events were read").anyMatch(e -> "Failed".equals(e.getReason()))
                    .anyMatch(e -> e.getMessage() != null && e.getMessage().contains("admin-stats_credentials=<redacted>"));
            System.err.printf("[secrets-on-proxysql-it] checked %d events, %d log lines (%d KiB) and the status of our resources%n",
                    events.size(), text.lines().count(), text.length() / 1024);
            secrets.forEach((what, secret) -> {
                for (String form : List.of(secret, base64(secret))) {
                    String shown = form.equals(secret) ? "plain" : "base64";
                    for (Event e : events) {
                        assertThat(Serialization.asJson(e)).as("event %s/%s must not contain %s (%s)", e.getReason(), e.getMetadata().getName(),
                                what, shown).doesNotContain(form);
                    }
                    assertThat(status).as("status and conditions must not contain %s (%s)", what, shown).doesNotContain(form);
                    assertThat(text).as("the operator's log must not contain %s (%s)", what, shown).doesNotContain(form);
                }
            });
        }
    }

    /** Logged in with the auth Secret's pair, which RotateAuth changed. */
    private static String statsCredentials(KubernetesClient client, ProxySqlPods pods, String pod) throws Exception {
        Secret auth = client.secrets().withName("px-auth").get();
        AdminCredentials pair = new AdminCredentials(new String(Base64.getDecoder().decode(auth.getData().get("username")),
                StandardCharsets.UTF_8), password(auth));
        try (AdminSession admin = AdminSession.open(pods.node(pod).adminEndpoint(), pair)) {
            return admin.value("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'admin-stats_credentials'");
        }
    }

    private static String backendHash(String user) throws Exception {
        try (Connection c = MARIADB.connectAsSetupUser();
             var rs = c.createStatement().executeQuery("SELECT authentication_string FROM mysql.user WHERE User = '" + user + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String password(Secret s) {
        return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Everything the operator in this JVM logs, from TRACE up, for the operator's, JOSDK's and fabric8's loggers; the
     * console keeps showing INFO and up only. Closing puts the levels and the console back.
     */
    private static final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private static final List<String> LOGGERS = List.of("dev.proxysql", "io.javaoperatorsdk", "io.fabric8");
        private final StringBuilder text = new StringBuilder();
        private final Map<String, Level> levels = new LinkedHashMap<>();
        private Appender<ILoggingEvent> console;

        static CapturedLog capture() {
            CapturedLog log = new CapturedLog();
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            log.setContext(ctx);
            log.start();
            log.console = root.getAppender("STDERR");
            if (log.console != null) {
                ThresholdFilter info = new ThresholdFilter();
                info.setLevel("INFO");
                info.start();
                log.console.addFilter(info);
            }
            root.addAppender(log);
            for (String name : LOGGERS) {
                ch.qos.logback.classic.Logger l = ctx.getLogger(name);
                log.levels.put(name, l.getLevel());
                l.setLevel(Level.TRACE);
            }
            return log;
        }

        @Override
        protected synchronized void append(ILoggingEvent e) {
            text.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ").append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public void close() {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            levels.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            if (console != null) {
                console.clearAllFilters();
            }
            stop();
        }
    }
}
