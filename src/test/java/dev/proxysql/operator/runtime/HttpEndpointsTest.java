package dev.proxysql.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> get(int port, String path, String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAndHealthOnTheirOwnPorts() throws Exception {
        int metrics = freePort();
        int health = freePort();
        AtomicReference<HttpEndpoints.Check> ready = new AtomicReference<>(new HttpEndpoints.Check(false, "starting"));
        try (HttpEndpoints e = HttpEndpoints.start(metrics, health, () -> "# HELP x\nx 1.0\n", ready::get)) {
            HttpResponse<String> m = get(metrics, "/metrics", "GET");
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.body()).isEqualTo("# HELP x\nx 1.0\n");
            assertThat(m.headers().firstValue("Content-Type")).contains(HttpEndpoints.PROMETHEUS_TEXT);
            assertThat(get(metrics, "/healthz", "GET").statusCode()).as("health is not on the metrics port").isEqualTo(404);

            assertThat(get(health, "/healthz", "GET")).matches(r -> r.statusCode() == 200 && r.body().equals("ok\n"));
            HttpResponse<String> notReady = get(health, "/readyz", "GET");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("not ready: starting\n");
            ready.set(new HttpEndpoints.Check(true, "informers synced; standing by"));
            assertThat(get(health, "/readyz", "GET")).matches(r -> r.statusCode() == 200 && r.body().equals("ok: informers synced; standing by\n"));
            assertThat(get(health, "/readyz", "HEAD").statusCode()).isEqualTo(200);
            assertThat(get(health, "/readyz/more", "GET").statusCode()).as("exact paths only").isEqualTo(404);
            assertThat(get(health, "/metrics", "GET").statusCode()).isEqualTo(404);
            assertThat(get(health, "/healthz", "POST").statusCode()).isEqualTo(405);
        }
        assertThatThrownBy(() -> get(health, "/healthz", "GET")).as("closed").isInstanceOf(IOException.class);
        // Read once per JVM by the first JDK server: set here too, or the admission webhook's limits would be lost.
        assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("10");
        assertThat(System.getProperty("sun.net.httpserver.maxRspTime")).isEqualTo("10");
    }

    @Test
    void oneServerWhenThePortsAreEqualAndNoneForPortZero() throws Exception {
        int port = freePort();
        try (HttpEndpoints e = HttpEndpoints.start(port, port, () -> "m\n", () -> new HttpEndpoints.Check(true, "fine"))) {
            assertThat(get(port, "/metrics", "GET").statusCode()).isEqualTo(200);
            assertThat(get(port, "/healthz", "GET").statusCode()).isEqualTo(200);
            assertThat(get(port, "/readyz", "GET").statusCode()).isEqualTo(200);
        }
        try (HttpEndpoints e = HttpEndpoints.start(0, port, () -> "m\n", () -> new HttpEndpoints.Check(true, "fine"))) {
            assertThat(get(port, "/metrics", "GET").statusCode()).isEqualTo(404);
            assertThat(get(port, "/healthz", "GET").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> HttpEndpoints.start(taken.getLocalPort(), 0, () -> "", () -> null))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot listen on port " + taken.getLocalPort() + " for /metrics");
        }
    }
}
