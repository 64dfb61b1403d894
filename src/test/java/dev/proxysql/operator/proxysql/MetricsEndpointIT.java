package dev.proxysql.operator.proxysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.config.Backend;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.BackendServer;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.proxysql.config.ProxySqlConfigInput;
import dev.proxysql.operator.proxysql.config.ProxySqlPeers;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A monitored ProxySQL whose catalog entry names no exporter serves Prometheus metrics itself: the rendered config
 * turns on ProxySQL's REST API on port 6070, and a scrape of {@code /metrics} there returns ProxySQL's own metrics.
 */
class MetricsEndpointIT {

    private static final Credentials CLUSTER = new Credentials("cluster", "Metrics-Pw-0042");
    private static final Credentials MONITOR = new Credentials("proxysql", "Monitor-Pw-0042");

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withUser(MONITOR.username(), MONITOR.password());

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    static List<String> versions() {
        return ProxySqlBuilds.versions();
    }

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("versions")
    void prometheusScrapesProxySqlsOwnMetricsOnPort6070(String version) throws Exception {
        Backend backend = new Backend(BackendMode.STANDALONE,
                List.of(new BackendServer(LocalMariaDb.HOST, MARIADB.port(), false)), null, null);
        String cnf = ProxySqlCnfRenderer.render(new ProxySqlConfigInput(CLUSTER, MONITOR, backend,
                ProxySqlPeers.stableDnsNames("proxy-server", "demo", 1), null, null, true)).cnfOrThrow();
        ProxySqlNode node = PROXYSQL.start(version, cnf);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://" + node.address() + ":6070/metrics"))
                .timeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> metrics = Await.until(Duration.ofSeconds(30), "ProxySQL " + version + " to serve /metrics on 6070",
                () -> get(http, scrape), r -> r != null && r.statusCode() == 200);

        assertThat(metrics.body()).contains("# TYPE proxysql_uptime_seconds_total counter")
                .contains("proxysql_query_cache_memory_bytes");
    }

    private static HttpResponse<String> get(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
