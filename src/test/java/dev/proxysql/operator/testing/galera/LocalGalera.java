package dev.proxysql.operator.testing.galera;

import dev.proxysql.operator.testing.LoopbackAddresses;
import dev.proxysql.operator.testing.mariadb.MariaDbServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private 3-node MariaDB Galera cluster for one test class (Debian's {@code mariadb-server} and {@code galera-4}):
 * three {@code mariadbd} on loopback addresses 127.a.b.1 to .3 chosen free at start (so test classes in parallel JVMs
 * keep apart), each with the ports a pod would have (3306 clients, 4567 group communication, 4568 IST, 4444 SST), in
 * its own temporary directory. Node 1 bootstraps the cluster ({@code --wsrep-new-cluster}) and runs the init
 * statements; nodes 2 and 3 join one after the other and receive them by a full state transfer (rsync).
 * {@link #start()} returns when all three are Synced in a 3-member primary component.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalGalera GALERA = new LocalGalera().withAdmin("root_admin", "pw");
 * }</pre>
 *
 * <p>Run as root (as the tests here are), every node runs as the {@code mysql} user and owns its files: the joiner's
 * rsync daemon runs as that user and could not write root's files. Nodes are stopped after the class and on JVM exit.
 * The cluster is expensive to start (tens of seconds): one per test class, shared by its tests; a test that kills or
 * desyncs a node puts it back ({@link #restart}, {@link #awaitHealthy}).
 */
public final class LocalGalera implements BeforeAllCallback, AfterAllCallback {

    public static final int CLIENT_PORT = 3306;
    public static final int GCOMM_PORT = 4567;
    public static final int IST_PORT = 4568;
    public static final int SST_PORT = 4444;
    /** Users are created for any loopback source address: clients connect from 127.0.0.1 or their own 127.x address. */
    public static final String USER_HOST = "127.%";
    static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    private static final int SIZE = 3;
    private static final Duration BOOTSTRAP_DEADLINE = Duration.ofSeconds(90);
    private static final Duration JOIN_DEADLINE = Duration.ofSeconds(180);
    private static final String SETUP_USER = "it_setup";

    /** The privileged login the fixture itself uses. */
    record SetupLogin(String user, String password) {
    }

    private final List<String> initStatements = new ArrayList<>();
    private final SetupLogin setup = new SetupLogin(SETUP_USER, MariaDbServers.randomPassword());
    private final List<GaleraNode> nodes = new ArrayList<>();
    private Path baseDir;
    private Duration startupTime;

    public LocalGalera() {
        initStatements.addAll(MariaDbServers.adminStatements(SETUP_USER, setup.password(), USER_HOST));
    }

    /** A user that may log in from loopback, with the given grants (e.g. {@code "ALL PRIVILEGES ON shop.*"}). */
    public LocalGalera withUser(String name, String password, String... grants) {
        return withInitStatements(MariaDbServers.userStatements(name, password, USER_HOST, grants));
    }

    /** An administrator as KubeDB's AppBinding Secret names one (all privileges, with GRANT OPTION). */
    public LocalGalera withAdmin(String name, String password) {
        return withInitStatements(MariaDbServers.adminStatements(name, password, USER_HOST));
    }

    /** A statement node 1 runs at its bootstrap (replicated to the others by their state transfer). */
    public LocalGalera withInitStatement(String sql) {
        return withInitStatements(List.of(sql));
    }

    private LocalGalera withInitStatements(List<String> statements) {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("the cluster is already started");
        }
        initStatements.addAll(statements);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The three nodes, node 1 first. */
    public List<GaleraNode> nodes() {
        requireStarted();
        return List.copyOf(nodes);
    }

    public GaleraNode node(int index) {
        return nodes().get(index - 1);
    }

    /** The node at {@code address}, e.g. a hostname ProxySQL reports. */
    public GaleraNode nodeAt(String address) {
        return nodes().stream().filter(n -> n.address().equals(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node at " + address + " in " + nodes));
    }

    /** How long {@link #start()} took, from the first install to three Synced members. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Creates the nodes' files, bootstraps node 1, joins 2 and 3; returns once all three are Synced. */
    public void start() throws IOException, InterruptedException {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        if (!Files.isReadable(PROVIDER)) {
            throw new IllegalStateException("the Galera provider " + PROVIDER + " is missing: run hack/test-prerequisites.sh "
                    + "(installs Debian's galera-4 and rsync) before the integration tests");
        }
        long began = System.nanoTime();
        baseDir = Files.createTempDirectory("local-galera-");
        try {
            String runAs = serverUser();
            List<String> addresses = freeAddresses();
            // At most 32 characters: gcomm refuses a longer group name only in the joiner's handshake ("handling gmcast
            // protocol message failed ... types.hpp:String()"), after the bootstrap node had started fine with it.
            String clusterName = "it-" + MariaDbServers.randomPassword().substring(0, 12);
            for (int i = 1; i <= SIZE; i++) {
                Path dir = Files.createDirectories(baseDir.resolve("node-" + i));
                nodes.add(new GaleraNode(i, addresses.get(i - 1), dir, addresses, clusterName, runAs, setup));
            }
            GaleraNode first = nodes.get(0);
            giveTo(runAs, baseDir); // mariadb-install-db runs as that user too
            MariaDbServers.installDataDir(first.datadir(), runAs, baseDir.resolve("install.log"));
            for (GaleraNode joiner : nodes.subList(1, SIZE)) {
                Files.createDirectories(joiner.datadir()); // filled by the state transfer
            }
            Path initFile = MariaDbServers.writeInitFile(baseDir.resolve("init.sql"), initStatements);
            giveTo(runAs, baseDir);

            first.spawn(true, initFile);
            awaitSynced(first, 1, BOOTSTRAP_DEADLINE);
            for (int i = 1; i < SIZE; i++) {
                GaleraNode joiner = nodes.get(i);
                joiner.spawn(false, null);
                awaitSynced(joiner, i + 1, JOIN_DEADLINE);
            }
            awaitHealthy();
            startupTime = Duration.ofNanos(System.nanoTime() - began);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * Starts a stopped or killed node again; it joins the running members (state transfer as Galera decides: IST, or a
     * full SST after a crash) and this returns once it is Synced with all three members.
     */
    public void restart(GaleraNode node) throws IOException {
        node.spawn(false, null);
        awaitSynced(node, SIZE, JOIN_DEADLINE);
    }

    /** Waits until every node is running, Synced and sees {@value #SIZE} members. */
    public void awaitHealthy() {
        for (GaleraNode node : nodes) {
            awaitSynced(node, SIZE, JOIN_DEADLINE);
        }
    }

    /** Waits until {@code node} is Synced in a primary component of {@code size} members (and fails fast if it exits). */
    public void awaitSynced(GaleraNode node, int size, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        SQLException last = null;
        while (System.nanoTime() - end < 0) {
            if (!node.running()) {
                throw new IllegalStateException(node + " is not running while waiting for it to be Synced in a cluster of "
                        + size + "\n" + node.errorLogTail());
            }
            try {
                if (node.syncedIn(size)) {
                    return;
                }
                last = null;
            } catch (SQLException e) {
                last = e; // not accepting logins yet (a joiner waits for its state transfer first)
            }
            node.awaitExit(Duration.ofMillis(200)); // between polls: an exit is noticed at once
        }
        throw new IllegalStateException(node + " was not Synced in a primary component of " + size + " members within "
                + deadline + (last == null ? "" : "; last error: " + last.getMessage()) + "\n" + describe() + "\n"
                + node.errorLogTail());
    }

    /** One line per node: state and cluster size, for failure messages. */
    public String describe() {
        return nodes.stream().map(GaleraNode::describe).collect(Collectors.joining("\n"));
    }

    /** Stops every node (SIGTERM, in parallel) and deletes the files. Safe to call more than once. */
    public void stop() {
        try {
            List<Thread> stops = new ArrayList<>();
            for (GaleraNode node : nodes) {
                Thread t = new Thread(node::stop, "stop-" + node.name());
                t.start();
                stops.add(t);
            }
            for (Thread t : stops) {
                t.join();
            }
        } catch (InterruptedException e) {
            nodes.forEach(GaleraNode::kill);
            Thread.currentThread().interrupt();
        } finally {
            nodes.clear();
            MariaDbServers.deleteTree(baseDir);
            baseDir = null;
        }
    }

    private void requireStarted() {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("the Galera cluster is not started");
        }
    }

    /** Root runs the servers as {@code mysql} (see the class comment); anyone else as themselves. */
    private static String serverUser() {
        String me = System.getProperty("user.name");
        return "root".equals(me) ? "mysql" : me;
    }

    private static void giveTo(String user, Path dir) throws IOException, InterruptedException {
        if (user.equals(System.getProperty("user.name"))) {
            return;
        }
        Process chown = new ProcessBuilder("chown", "-R", user + ":", dir.toString()).redirectErrorStream(true).start();
        if (!chown.waitFor(30, TimeUnit.SECONDS) || chown.exitValue() != 0) {
            throw new IllegalStateException("chown -R " + user + ": " + dir + " failed: "
                    + new String(chown.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Three addresses 127.a.b.1-3 free on Galera's ports; a in 200-254, apart from LocalProxySql's 100-199. */
    private static List<String> freeAddresses() throws IOException {
        return LoopbackAddresses.freeBlock(SIZE, 200, 255, CLIENT_PORT, SST_PORT, GCOMM_PORT, IST_PORT);
    }
}
