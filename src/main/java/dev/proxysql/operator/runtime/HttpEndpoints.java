package dev.proxysql.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's plain-HTTP endpoints, on the JDK's built-in server: {@code /metrics} on the metrics port,
 * {@code /healthz} and {@code /readyz} on the health port. When both ports are equal, one server serves all three;
 * port 0 switches that group off.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final List<HttpServer> servers;
    private final ExecutorService executor;

    private HttpEndpoints(List<HttpServer> servers, ExecutorService executor) {
        this.servers = servers;
        this.executor = executor;
    }

    /** A health or readiness answer. */
    public record Check(boolean ok, String detail) {
    }

    /**
     * Binds and starts the servers.
     *
     * @throws UncheckedIOException naming the port when it cannot be bound
     */
    public static HttpEndpoints start(int metricsPort, int healthPort, Supplier<String> metrics, Supplier<Check> readiness) {
        limitRequestTimes();
        Map<Integer, Map<String, HttpHandler>> byPort = new LinkedHashMap<>();
        if (metricsPort > 0) {
            byPort.computeIfAbsent(metricsPort, p -> new LinkedHashMap<>()).put("/metrics", text(() -> new Answer(200, PROMETHEUS_TEXT,
                    metrics.get())));
        }
        if (healthPort > 0) {
            Map<String, HttpHandler> health = byPort.computeIfAbsent(healthPort, p -> new LinkedHashMap<>());
            // Alive as long as this process can answer HTTP: liveness must not depend on the API server or on leadership.
            health.put("/healthz", text(() -> new Answer(200, "text/plain; charset=utf-8", "ok\n")));
            health.put("/readyz", text(() -> {
                Check c = readiness.get();
                return new Answer(c.ok() ? 200 : 503, "text/plain; charset=utf-8", (c.ok() ? "ok: " : "not ready: ") + c.detail() + "\n");
            }));
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http-endpoints");
            t.setDaemon(true);
            return t;
        });
        List<HttpServer> servers = new ArrayList<>();
        HttpEndpoints endpoints = new HttpEndpoints(servers, executor);
        try {
            for (Map.Entry<Integer, Map<String, HttpHandler>> e : byPort.entrySet()) {
                HttpServer server;
                try {
                    server = HttpServer.create(new InetSocketAddress(e.getKey()), 16);
                } catch (BindException bind) {
                    throw new UncheckedIOException("cannot listen on port " + e.getKey() + " for " + String.join(", ", e.getValue().keySet())
                            + ": " + bind.getMessage(), bind);
                }
                e.getValue().forEach(server::createContext);
                server.setExecutor(executor);
                server.start();
                servers.add(server);
                LOG.info("Serving {} on port {}", String.join(", ", e.getValue().keySet()), e.getKey());
            }
        } catch (IOException e) {
            endpoints.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            endpoints.close();
            throw e;
        }
        return endpoints;
    }

    /**
     * A client gets 10 s to send its request and to take the response. The JDK server reads these limits once per JVM,
     * when its first server is created: whichever server of this process starts first (these endpoints, or the admission
     * webhook, which sets the same values) must set them, or they are lost for all.
     */
    static void limitRequestTimes() {
        for (String property : new String[] {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"}) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, Integer.toString(REQUEST_SECONDS));
            }
        }
    }

    static final int REQUEST_SECONDS = 10;

    private record Answer(int status, String contentType, String body) {
    }

    private static HttpHandler text(Supplier<Answer> answer) {
        return exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    respond(exchange, new Answer(405, "text/plain; charset=utf-8", "only GET and HEAD\n"));
                    return;
                }
                // Exact paths only: the JDK server matches contexts by prefix.
                String path = exchange.getRequestURI().getPath();
                if (!path.equals(exchange.getHttpContext().getPath())) {
                    respond(exchange, new Answer(404, "text/plain; charset=utf-8", "not found\n"));
                    return;
                }
                Answer a;
                try {
                    a = answer.get();
                } catch (RuntimeException e) {
                    a = new Answer(500, "text/plain; charset=utf-8", "error: " + e.getClass().getSimpleName() + "\n");
                }
                respond(exchange, a);
            }
        };
    }

    private static void respond(HttpExchange exchange, Answer a) throws IOException {
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", a.contentType());
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(a.status(), head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
