package dev.proxysql.operator.testing.certmanager;

import dev.proxysql.operator.testing.LocalProcesses;
import dev.proxysql.operator.testing.Tools;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalClusterExtension;
import dev.proxysql.operator.testing.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real cert-manager controller for one test class, as a local process against the run's cluster: the binary that
 * {@code hack/cert-manager/build.sh} builds from cert-manager's library module (Certificates, the CA and SelfSigned
 * issuers, the CertificateRequest approver), with cert-manager's own CRDs of the same version. Before the class it
 * installs the CRDs and starts the controller; after it, stops the controller and removes the CRDs (with every
 * cert-manager object), since the other classes share the cluster and run without cert-manager.
 *
 * <p>Register it before the {@code InProcessOperator}: the operator then discovers the Certificate kind at start.
 * A missing binary fails the class with the command that builds it, rather than skipping.
 */
public final class LocalCertManager implements BeforeAllCallback, AfterAllCallback {
    public static final String GROUP = "cert-manager.io";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final String STARTED = "starting cert-manager controllers";
    private final List<String> crdNames = new ArrayList<>();
    private Process process;
    private Path log;
    private Thread killOnJvmExit;
    private KubernetesClient admin;

    @Override
    public void beforeAll(ExtensionContext context) {
        start(LocalClusterExtension.cluster(context), LocalClusterExtension.adminClient(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Installs cert-manager's CRDs, starts the controller against {@code cluster} and waits until its controllers run. */
    public void start(TestCluster cluster, KubernetesClient adminClient) {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        admin = adminClient;
        Tools.Result built = Tools.run(Map.of(), Duration.ofSeconds(30), List.of("bash", "hack/cert-manager/build.sh", "--check"));
        if (!built.ok()) {
            throw new IllegalStateException(built.stderr().strip() + " (make test, or make cert-manager-it, builds it)");
        }
        Path dir = Path.of(built.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        installCrds(dir.resolve("crds"));
        try {
            Path logs = Files.createDirectories(Path.of("target/cert-manager"));
            log = Files.createTempFile(logs, "controller-", ".log");
            process = new ProcessBuilder(dir.resolve("cert-manager-controller").toString(),
                    "--kubeconfig", cluster.kubeconfig().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the cert-manager controller from " + dir, e);
        }
        killOnJvmExit = LocalProcesses.killOnJvmExit(process, "cert-manager");
        Await.until(TIMEOUT, "the cert-manager controller to start its controllers (log " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the cert-manager controller exited with " + process.exitValue() + ":\n" + logTail());
            }
            return read(log).contains(STARTED);
        });
    }

    /** Stops the controller (SIGTERM, then SIGKILL after a deadline) and removes the CRDs. Safe to call more than once. */
    public void stop() {
        if (process != null) {
            Process p = process;
            process = null;
            p.destroy();
            LocalProcesses.awaitExit(p, STOP_DEADLINE, killOnJvmExit);
        }
        for (String name : crdNames) {
            admin.apiextensions().v1().customResourceDefinitions().withName(name).delete();
        }
        for (String name : crdNames) {
            Await.until(TIMEOUT, "CRD " + name + " gone", () -> admin.apiextensions().v1().customResourceDefinitions().withName(name).get() == null);
        }
        crdNames.clear();
    }

    /** The last lines of the controller's log, for a failure message. */
    public String logTail() {
        List<String> lines = read(log).lines().toList();
        return "--- cert-manager controller log " + log + " (last lines) ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private void installCrds(Path crds) {
        try (Stream<Path> files = Files.list(crds)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
                    admin.resource(crd).fieldManager("test-install").forceConflicts().serverSideApply();
                    crdNames.add(crd.getMetadata().getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cert-manager's CRDs in " + crds, e);
        }
        for (String kind : List.of("Certificate", "CertificateRequest", "Issuer", "ClusterIssuer")) {
            Await.until(TIMEOUT, "discovery to serve " + GROUP + "/v1 " + kind, () -> admin.supports(GROUP + "/v1", kind));
        }
    }

    private static String read(Path file) {
        try {
            return file == null || !Files.exists(file) ? "" : Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
