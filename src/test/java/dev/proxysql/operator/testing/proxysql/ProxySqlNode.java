package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.testing.LocalProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real {@code proxysql} process, as a pod would run it ({@code proxysql -f -c <cnf> -D <datadir>}), bound to its
 * own loopback address with the ports the operator renders (admin 6032, clients 6033). Its datadir survives
 * {@link #stop()}, so {@link #start()} afterwards is a restart with {@code proxysql.db} in place (the config file is
 * then ignored, as in a pod restarted with its volume); {@link #wipeDatadir()} makes the next start a fresh pod.
 */
public final class ProxySqlNode implements AutoCloseable {

    public static final int ADMIN_PORT = 6032;
    public static final int MYSQL_PORT = 6033;

    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

    private final String version;
    private final String address;
    private final Path dir;
    private final Path cnf;
    private final AdminCredentials admin;
    private volatile Process process;
    /** The process whose admin interface answered after its start (see {@link #answering()}). */
    private volatile Process answeredSince;
    private Thread killOnJvmExit;

    ProxySqlNode(String version, String address, Path dir, String cnfText, AdminCredentials admin) throws IOException {
        this.version = version;
        this.address = address;
        this.dir = dir;
        this.cnf = dir.resolve("proxysql.cnf");
        this.admin = admin;
        Files.createDirectories(datadir());
        Files.writeString(cnf, cnfText, StandardCharsets.UTF_8);
    }

    public String version() {
        return version;
    }

    /** The config file this node reads: the rendered text with its own addresses (see {@link LocalProxySql}). */
    public String cnfText() throws IOException {
        return Files.readString(cnf, StandardCharsets.UTF_8);
    }

    /** The loopback address both interfaces are bound to, e.g. 127.143.7.1. */
    public String address() {
        return address;
    }

    public AdminEndpoint adminEndpoint() {
        return new AdminEndpoint(address, ADMIN_PORT);
    }

    /** The remote admin user of the rendered config ({@code admin-cluster_username/password}), as the operator logs in. */
    public AdminCredentials adminCredentials() {
        return admin;
    }

    /** A JDBC URL for application clients (port 6033). */
    public String clientUrl() {
        return "jdbc:mariadb://" + address + ":" + MYSQL_PORT + "/";
    }

    public Path datadir() {
        return dir.resolve("data");
    }

    /** Whether the client port (6033) accepts a TCP connection now. */
    public boolean acceptsClients() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(address, MYSQL_PORT), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * Running and its admin interface answered since it was started: what a test waits for before it uses a node.
     * {@link ProxySqlPods} lists a node as soon as its process is spawned, before it listens.
     */
    public boolean answering() {
        return running() && answeredSince == process;
    }

    /**
     * A client connection on port 6033 as an application user (5 s to connect, 30 s per read), with extra driver
     * {@code options} (e.g. {@code sslMode}); the caller closes it.
     */
    public java.sql.Connection connectAsClient(String user, String password, java.util.Map<String, String> options) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5000");
        p.setProperty("socketTimeout", "30000");
        options.forEach(p::setProperty);
        return new org.mariadb.jdbc.Driver().connect(clientUrl(), p);
    }

    /** A session as the rendered config's remote admin user; the caller closes it. */
    public AdminSession session() throws SQLException {
        return AdminSession.open(adminEndpoint(), admin);
    }

    /** Starts the process and returns once the admin interface answers {@code SELECT 1} as the cluster user. */
    public ProxySqlNode start() throws IOException, InterruptedException {
        if (running()) {
            throw new IllegalStateException("ProxySQL at " + address + " is already running");
        }
        Files.writeString(log(), "", StandardCharsets.UTF_8);
        process = new ProcessBuilder(ProxySqlBuilds.binary(version).toString(),
                "-f", "-c", cnf.toString(), "-D", datadir().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        Process started = process;
        killOnJvmExit = LocalProcesses.killOnJvmExit(started, "proxysql");
        awaitAdmin();
        answeredSince = started;
        return this;
    }

    private void awaitAdmin() throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_DEADLINE);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try (AdminSession s = session()) {
                s.value("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
            }
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("ProxySQL " + version + " at " + address + " exited with status "
                        + process.exitValue() + " before its admin interface answered\n" + logTail());
            }
        }
        throw new IllegalStateException("ProxySQL " + version + " at " + address + ": admin interface did not answer "
                + "SELECT 1 as " + admin.username() + " within " + READY_DEADLINE + "; last error: " + last + "\n" + logTail());
    }

    /** SIGTERM, then SIGKILL after a deadline; the datadir stays. Safe to call when stopped. */
    public void stop() {
        stopWith(false);
    }

    /** SIGKILL at once, as when a pod's container is killed; the datadir stays. */
    public void kill() {
        stopWith(true);
    }

    private void stopWith(boolean force) {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        if (force) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        LocalProcesses.awaitExit(p, STOP_DEADLINE, killOnJvmExit);
    }

    /**
     * SIGSTOP to the process and its children (ProxySQL forks a worker under its angel process): the node hangs as an
     * overloaded or partitioned one does. Its sockets stay open, so a client's connect succeeds and then waits for a
     * greeting that does not come. {@link #thaw()} undoes it.
     */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT to the process and its children: a {@link #freeze() frozen} node goes on where it stopped. */
    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (!running()) {
            throw new IllegalStateException("ProxySQL at " + address + " is not running");
        }
        List<String> command = new java.util.ArrayList<>(List.of("kill", signal, String.valueOf(process.pid())));
        process.toHandle().descendants().forEach(h -> command.add(String.valueOf(h.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(kill.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    /** Deletes the datadir (the node must be stopped): the next start reads the config file, as a new pod does. */
    public void wipeDatadir() throws IOException {
        if (running()) {
            throw new IllegalStateException("stop ProxySQL at " + address + " before wiping its datadir");
        }
        LocalProxySql.deleteTree(datadir());
        Files.createDirectories(datadir());
    }

    /** The last lines ProxySQL printed, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.UTF_8) : List.of();
            return "--- proxysql " + version + " at " + address + " (last lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path log() {
        return dir.resolve("proxysql.out");
    }

    @Override
    public void close() {
        stop();
    }
}
