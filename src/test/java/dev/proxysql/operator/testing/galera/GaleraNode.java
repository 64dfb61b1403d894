package dev.proxysql.operator.testing.galera;

import dev.proxysql.operator.testing.LocalProcesses;
import dev.proxysql.operator.testing.mariadb.MariaDbBinaries;
import dev.proxysql.operator.testing.mariadb.MariaDbServers;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code mariadbd} of a {@link LocalGalera} cluster, on its own loopback address with Galera's usual ports. It is
 * started (and restarted) as a member joining the others; only the cluster's first start bootstraps node 1.
 */
public final class GaleraNode {

    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

    private final int index;
    private final String address;
    private final Path dir;
    private final List<String> clusterAddresses;
    private final String clusterName;
    private final String runAs;
    private final LocalGalera.SetupLogin setup;
    private volatile Process process;
    private Thread killOnJvmExit;

    GaleraNode(int index, String address, Path dir, List<String> clusterAddresses, String clusterName, String runAs,
            LocalGalera.SetupLogin setup) {
        this.index = index;
        this.address = address;
        this.dir = dir;
        this.clusterAddresses = List.copyOf(clusterAddresses);
        this.clusterName = clusterName;
        this.runAs = runAs;
        this.setup = setup;
    }

    /** 1, 2 or 3. */
    public int index() {
        return index;
    }

    public String name() {
        return "node-" + index;
    }

    /** The loopback address the node's client port (3306) and Galera's ports are bound to. */
    public String address() {
        return address;
    }

    public int port() {
        return LocalGalera.CLIENT_PORT;
    }

    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    Path datadir() {
        return dir.resolve("data");
    }

    /** Spawns {@code mariadbd}; {@code bootstrap} starts a new cluster ({@code --wsrep-new-cluster}), otherwise it joins. */
    void spawn(boolean bootstrap, Path initFile) throws IOException {
        if (running()) {
            throw new IllegalStateException(name() + " at " + address + " is already running");
        }
        String gcomm = "gcomm://" + String.join(",", clusterAddresses.stream().map(a -> a + ":" + LocalGalera.GCOMM_PORT).toList());
        List<String> command = new ArrayList<>(List.of(MariaDbBinaries.require("mariadbd").toString(),
                "--no-defaults",
                // As root the server drops to this user; the joiner's rsync daemon (state transfer) runs as it too, so
                // the files must be its own (galera.md: "open ibdata1 ... Permission denied" otherwise).
                "--user=" + runAs,
                "--datadir=" + datadir(),
                "--bind-address=" + address,
                "--port=" + LocalGalera.CLIENT_PORT,
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--log-error=" + errorLog(),
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M",
                "--binlog-format=ROW",
                "--default-storage-engine=InnoDB",
                "--innodb-autoinc-lock-mode=2",
                "--wsrep-on=ON",
                "--wsrep-provider=" + LocalGalera.PROVIDER,
                "--wsrep-cluster-name=" + clusterName,
                "--wsrep-cluster-address=" + gcomm,
                "--wsrep-node-name=" + name(),
                "--wsrep-node-address=" + address,
                "--wsrep-provider-options=gmcast.listen_addr=tcp://" + address + ":" + LocalGalera.GCOMM_PORT
                        + ";ist.recv_addr=" + address + ":" + LocalGalera.IST_PORT,
                "--wsrep-sst-receive-address=" + address + ":" + LocalGalera.SST_PORT,
                "--wsrep-sst-method=rsync"));
        if (initFile != null) {
            command.add("--init-file=" + initFile);
        }
        if (bootstrap) {
            command.add("--wsrep-new-cluster");
        }
        Process started = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                .start();
        process = started;
        killOnJvmExit = LocalProcesses.killOnJvmExit(started, "local-galera-" + name());
    }

    /**
     * SIGKILL, as when a database pod's container is killed: no clean leave from the group, so the others find out by
     * Galera's own timeouts. Also kills a state transfer's helpers (rsync, the SST script) it may have started.
     */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        process = null;
        List<ProcessHandle> helpers = p.toHandle().descendants().toList();
        p.destroyForcibly();
        helpers.forEach(ProcessHandle::destroyForcibly);
        LocalProcesses.awaitExit(p, STOP_DEADLINE, killOnJvmExit);
        killOnJvmExit = null;
    }

    /** SIGTERM: a clean shutdown (the node leaves the group); SIGKILL after a deadline. Safe to call when stopped. */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        process = null;
        p.destroy();
        LocalProcesses.awaitExit(p, STOP_DEADLINE, killOnJvmExit);
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        killOnJvmExit = null;
    }

    /** A connection as the cluster's privileged set-up user; the caller closes it. */
    public Connection connectAsSetupUser() throws SQLException {
        return connect(setup.user(), setup.password());
    }

    /** A connection as any user (2 s to connect); the caller closes it. */
    public Connection connect(String user, String password) throws SQLException {
        return MariaDbServers.connect(address, LocalGalera.CLIENT_PORT, user, password, Duration.ofSeconds(2));
    }

    /** Runs statements as the set-up user. */
    public void execute(String... statements) throws SQLException {
        try (Connection c = connectAsSetupUser(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** {@code wsrep_desync}: the node stops taking part in flow control and reports itself Donor/Desynced. */
    public void desync(boolean on) throws SQLException {
        execute("SET GLOBAL wsrep_desync = " + (on ? "ON" : "OFF"));
    }

    /** {@code wsrep_reject_queries}: NONE, ALL or ALL_KILL (also closes the client connections it has). */
    public void rejectQueries(String mode) throws SQLException {
        execute("SET GLOBAL wsrep_reject_queries = " + mode);
    }

    /** Every {@code wsrep_%} status variable, lower-case names. */
    public Map<String, String> wsrepStatus() throws SQLException {
        Map<String, String> status = new LinkedHashMap<>();
        try (Connection c = connectAsSetupUser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_%'")) {
            while (rs.next()) {
                status.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
            }
        }
        return status;
    }

    /** Whether the node is Synced in a primary component of {@code size} members and ready for queries. */
    boolean syncedIn(int size) throws SQLException {
        Map<String, String> s = wsrepStatus();
        return "Synced".equals(s.get("wsrep_local_state_comment")) && String.valueOf(size).equals(s.get("wsrep_cluster_size"))
                && "Primary".equals(s.get("wsrep_cluster_status")) && "ON".equals(s.get("wsrep_ready"));
    }

    /** One line for failure messages: state, cluster size, or why it could not be read. */
    public String describe() {
        if (!running()) {
            return name() + " " + address + ": not running";
        }
        try {
            Map<String, String> s = wsrepStatus();
            return name() + " " + address + ": " + s.get("wsrep_local_state_comment") + ", cluster size " + s.get("wsrep_cluster_size")
                    + ", " + s.get("wsrep_cluster_status") + ", ready " + s.get("wsrep_ready");
        } catch (SQLException e) {
            return name() + " " + address + ": running, status not readable: " + e.getMessage();
        }
    }

    Path errorLog() {
        return dir.resolve("error.log");
    }

    /** The last lines of the node's error log, for failure messages. */
    public String errorLogTail() {
        return MariaDbServers.tail(errorLog());
    }

    /** Waits up to {@code timeout} for the process to exit (returns at once if it does). */
    void awaitExit(Duration timeout) {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
    }

    @Override
    public String toString() {
        return name() + "@" + address;
    }
}
