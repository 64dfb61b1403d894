package dev.proxysql.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tools the installation tests use, built from Go modules by the hack/ scripts and cached outside
 * the repository: kubectl (hack/control-plane/build.sh) and Helm (hack/build-helm.sh, about 2 minutes on first use).
 */
public final class Tools {
    private static Path kubectl;
    private static Path helm;

    private Tools() {
    }

    /** The output of a finished command: exit code, stdout and stderr. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result, or fails with the command and both outputs. */
        public Result orFail() {
            if (!ok()) {
                throw new AssertionError(describe());
            }
            return this;
        }

        public String describe() {
            return String.join(" ", command) + " exited with " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    public static synchronized Path kubectl() {
        if (kubectl == null) {
            kubectl = Path.of(lastLine(run(Map.of(), Duration.ofMinutes(60), List.of("bash", "hack/control-plane/build.sh")).orFail()))
                    .resolve("kubectl");
        }
        return kubectl;
    }

    public static synchronized Path helm() {
        if (helm == null) {
            helm = Path.of(lastLine(run(Map.of(), Duration.ofMinutes(30), List.of("bash", "hack/build-helm.sh")).orFail()));
        }
        return helm;
    }

    /** kubectl against {@code kubeconfig}. */
    public static Result kubectl(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return run(Map.of(), Duration.ofMinutes(3), command);
    }

    /** Helm against {@code kubeconfig}, with its caches and configuration under target/ (not in the home directory). */
    public static Result helm(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of(helm().toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Path home = Path.of("target/helm-home").toAbsolutePath();
        return run(Map.of("HELM_CACHE_HOME", home.resolve("cache").toString(), "HELM_CONFIG_HOME", home.resolve("config").toString(),
                "HELM_DATA_HOME", home.resolve("data").toString()), Duration.ofMinutes(5), command);
    }

    /** Runs a command in the project directory; stdout and stderr are captured through files (no pipe deadlock). */
    public static Result run(Map<String, String> env, Duration timeout, List<String> command) {
        try {
            Path dir = Files.createDirectories(Path.of("target/tool-output"));
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; stderr so far:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            Result r = new Result(List.copyOf(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String lastLine(Result r) {
        String[] lines = r.stdout().strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
