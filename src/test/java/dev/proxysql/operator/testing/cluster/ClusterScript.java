package dev.proxysql.operator.testing.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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

/** Runs hack/control-plane/cluster.sh, showing its progress on stderr. */
final class ClusterScript {

  static final String RELATIVE_PATH = "hack/control-plane/cluster.sh";

  private final Path script;

  private ClusterScript(Path script) {
    this.script = script;
  }

  /** Finds cluster.sh in {@code start} or one of its parents (tests may run from a module directory). */
  static ClusterScript find(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE_PATH);
      if (Files.isRegularFile(candidate)) {
        return new ClusterScript(candidate);
      }
    }
    throw new IllegalStateException("Cannot find " + RELATIVE_PATH + " in " + start + " or its parents; "
        + "run the tests from the repository, or point PROXYSQL_TEST_KUBECONFIG at an existing cluster");
  }

  Path repositoryRoot() {
    return script.getParent().getParent().getParent();
  }

  record Result(int exitCode, List<String> stdout) {
    String lastLine() {
      return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
    }
  }

  /** Runs {@code cluster.sh args...}; its stderr goes to ours (through System.err, which test runners capture). */
  Result run(Map<String, String> extraEnv, Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(repositoryRoot().toFile());
    pb.environment().putAll(extraEnv);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    Thread stderr = pump(process.getErrorStream(), System.err::println);
    List<String> stdout = new ArrayList<>();
    Thread out = pump(process.getInputStream(), line -> {
      synchronized (stdout) {
        stdout.add(line);
      }
    });
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
      }
      out.join();
      stderr.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
    synchronized (stdout) {
      return new Result(process.exitValue(), List.copyOf(stdout));
    }
  }

  private static Thread pump(InputStream in, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // the process went away; nothing more to show
      }
    }, "cluster.sh-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
