package dev.proxysql.operator.proxysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A monitored ProxySQL whose catalog entry names no exporter serves Prometheus metrics itself: the rendered config
 * turns on ProxySQL's REST API on port 6070, and a scrape of {@code /metrics} there returns ProxySQL's own metrics.
 */
class MetricsEndpointIT {

    @RegisterExtension
    static final LocalMariaDb MARIADB = TestConfigs.withMonitorUser(new LocalMariaDb());

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();


    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void prometheusScrapesProxySqlsOwnMetricsOnPort6070(String version) throws Exception {
        String cnf = TestConfigs.standalone(TestConfigs.MONITOR, MARIADB.port(), 1, null, true);
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
