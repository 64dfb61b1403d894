package dev.proxysql.operator.testing;

import dev.proxysql.operator.testing.cluster.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a separate JVM running the packaged jar, so that a test can really kill it (SIGKILL, no shutdown
 * hook, no finally block), stop it (SIGTERM) and start it again. Its log is kept under target/operator-logs/.
 */
public final class OperatorProcess implements AutoCloseable {
    /**
     * What {@link #start(TestCluster, String)} passes: both controllers, no ProxySQL-level checks (pods run no process),
     * and no leader election, admission webhook (8443) nor metrics and health ports, which processes of parallel test
     * runs on one machine would compete for (AdmissionWebhookIT tests the webhook on an ephemeral port).
     */
    public static final List<String> DEFAULT_ARGS = List.of("--controllers=provisioner,ops_manager", "--no-proxysql-checks",
            "--no-leader-election", "--webhook-port=0", "--metrics-port=0", "--health-port=0");

    private final Process process;
    private final Path log;
    private final String userAgent;

    private OperatorProcess(Process process, Path log, String userAgent) {
        this.process = process;
        this.log = log;
        this.userAgent = userAgent;
    }

    public static OperatorProcess start(TestCluster cluster, String name) {
        return start(cluster, name, null, DEFAULT_ARGS);
    }

    /**
     * Starts the jar with exactly {@code args}; with {@code userAgent} (else the operator's default) on every API
     * request, so that the audit log tells processes apart.
     */
    public static OperatorProcess start(TestCluster cluster, String name, String userAgent, List<String> args) {
        return start(cluster.kubeconfig(), name, userAgent, args);
    }

    /**
     * Starts the jar with exactly {@code args}, authenticated by {@code kubeconfig}: e.g. a ServiceAccount's token, to run
     * the operator with exactly the permissions of an installation.
     */
    public static OperatorProcess start(Path kubeconfig, String name, String userAgent, List<String> args) {
        Path jar = Path.of("target/proxysql-operator.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvn package` (use mvn verify)");
        }
        try {
            Path dir = Files.createDirectories(Path.of("target/operator-logs"));
            Path log = dir.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            if (userAgent != null) {
                pb.environment().put("KUBERNETES_USER_AGENT", userAgent);
            }
            return new OperatorProcess(pb.start(), log, userAgent);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator process", e);
        }
    }

    /** A TCP port that was free a moment ago, for --metrics-port and --health-port. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the operator gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        if (waitFor(Duration.ofSeconds(30)) == null) {
            throw new IllegalStateException("operator process did not die within 30 s of SIGKILL");
        }
    }

    /** SIGTERM ({@link Process#destroy()} on Unix); returns the exit status, or null if it is still running after {@code timeout}. */
    public Integer terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    /** The exit status once the process has ended within {@code timeout}, else null. */
    public Integer waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String userAgent() {
        return userAgent;
    }

    public Path log() {
        return log;
    }

    /** The log so far. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET http://localhost:{port}{path}; status and body, or status -1 when nothing answers. */
    public static HttpResult get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new HttpResult(r.statusCode(), r.body());
        } catch (IOException e) {
            return new HttpResult(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** An HTTP answer. */
    public record HttpResult(int status, String body) {
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
