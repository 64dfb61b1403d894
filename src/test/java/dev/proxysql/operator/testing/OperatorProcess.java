package dev.proxysql.operator.testing;

import dev.proxysql.operator.testing.cluster.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a separate JVM running the packaged jar, so that a test can really kill it (SIGKILL, no shutdown
 * hook, no finally block) and start it again. Its log is kept under target/operator-logs/.
 */
public final class OperatorProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private OperatorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static OperatorProcess start(TestCluster cluster, String name) {
        Path jar = Path.of("target/proxysql-operator.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvn package` (use mvn verify)");
        }
        try {
            Path dir = Files.createDirectories(Path.of("target/operator-logs"));
            Path log = dir.resolve(name + ".log");
            // No admission webhook: it would listen on 8443, which parallel test runs on one machine would compete for
            // (AdmissionWebhookIT tests it on an ephemeral port).
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar.toString(), "--controllers=provisioner,ops_manager", "--no-proxysql-checks",
                    "--webhook-port=0")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
            return new OperatorProcess(pb.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator process", e);
        }
    }

    /** SIGKILL: the operator gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("operator process did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
