package dev.proxysql.operator.testing.node;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The repository's own scripts (hack/node, hack/images, hack/control-plane), run from the real-node tests. */
public final class RepositoryScripts {
    private final Path repo;

    private RepositoryScripts(Path repo) {
        this.repo = repo;
    }

    /** The checkout the tests run in: the first folder up from the working directory that has hack/node/node.sh. */
    public static RepositoryScripts find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("hack/node/node.sh"))) {
                return new RepositoryScripts(dir);
            }
        }
        throw new IllegalStateException("cannot find hack/node/node.sh in the working directory or its parents");
    }

    public Path root() {
        return repo;
    }

    /** Runs a repository script, its stderr shown as ours; fails unless it exits 0 within the timeout. Its stdout lines. */
    public List<String> run(Duration timeout, Map<String, String> env, String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        try {
            Process process = pb.start();
            List<String> out = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (out) {
                            out.add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process went away
                }
            });
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            reader.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + " (its messages are above; node logs in ~/.cache/proxysql-operator/node-logs)");
            }
            synchronized (out) {
                return List.copyOf(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last line a script printed, or "". */
    public static String lastLine(List<String> lines) {
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
