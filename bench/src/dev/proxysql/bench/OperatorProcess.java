package dev.proxysql.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator under test, run as its own JVM ({@code java -jar target/proxysql-operator.jar}) so that its memory can
 * be read from {@code /proc/<pid>/status}: VmHWM is the peak resident set size over the process's whole life.
 * Its requests carry their own user agent ({@code -Dkubernetes.user.agent}, read by fabric8's auto-configuration), so
 * the apiserver audit log tells its writes from everybody else's.
 */
final class OperatorProcess implements AutoCloseable {
    static final String USER_AGENT = "proxysql-operator-bench";

    private final Process process;
    private final Path log;
    private final List<String> command;

    private OperatorProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    /**
     * @param jvmOptions extra JVM options (heap size, GC, NMT), split on whitespace
     */
    static OperatorProcess start(Path jar, Path kubeconfig, String jvmOptions, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : jvmOptions.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-Dkubernetes.user.agent=" + USER_AGENT);
        cmd.add("-jar");
        cmd.add(jar.toString());
        // One instance outside the cluster: no Lease to contend for (its namespace is not installed here), and no
        // admission webhook the API server could not reach anyway.
        cmd.addAll(List.of("--no-leader-election", "--webhook-port=0"));
        cmd.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        return new OperatorProcess(pb.start(), log, cmd);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    String commandLine() {
        return String.join(" ", command);
    }

    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the operator exited with status " + process.exitValue() + "; see " + log);
        }
    }

    /** A field of /proc/PID/status in KiB (VmHWM, VmRSS), or -1 if the process is gone. */
    long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    long threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Output of {@code jcmd PID what...}, or a note why there is none. */
    String jcmd(String... what) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(what));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
