package dev.proxysql.operator.testing.mariadb;

import dev.proxysql.operator.testing.LocalProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private MariaDB server for one test class: its own temporary datadir, a free loopback port, users
 * created at boot, and a clean shutdown afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalMariaDb MARIADB = new LocalMariaDb().withUser("cluster", "pw");
 * }</pre>
 *
 * <p>It needs Debian's {@code mariadb-server} binaries ({@code hack/mariadb/ensure-installed.sh} installs
 * them) and fails the test class with that hint when they are missing, rather than skipping: a skipped
 * integration test looks green. It never touches the system's MariaDB service or {@code /var/lib/mysql}.
 *
 * <p>Besides the users a test asks for, the server has a privileged user for test set-up
 * ({@link #connectAsSetupUser()}), and logs every statement to {@code mysql.general_log}, so tests can
 * check what a client actually sent.
 */
public final class LocalMariaDb implements BeforeAllCallback, AfterAllCallback {

    public static final String HOST = "127.0.0.1";

    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3; // a free port can be taken between choosing and binding it

    private static final String SETUP_USER = "it_setup";

    private final List<String> initStatements = new ArrayList<>();
    private final String setupPassword = MariaDbServers.randomPassword();

    private Path baseDir;
    private Process server;
    private int port;
    private final List<String> serverOptions = new ArrayList<>();
    private Thread killOnJvmExit;

    public LocalMariaDb() {
        MariaDbServers.adminStatements(SETUP_USER, setupPassword, HOST).forEach(this::withInitStatement);
    }

    /**
     * Adds a user that may log in over TCP from loopback, with the given privileges (e.g.
     * {@code "SELECT ON stats.*"}); with none it may log in and run queries that need no privilege.
     */
    public LocalMariaDb withUser(String name, String password, String... grants) {
        MariaDbServers.userStatements(name, password, HOST, grants).forEach(this::withInitStatement);
        return this;
    }

    /** Extra {@code mariadbd} options, e.g. {@code --ssl-cert=...} and {@code --require-secure-transport=ON}. */
    public LocalMariaDb withServerOptions(String... options) {
        serverOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Adds an administrator as KubeDB's AppBinding Secret names one (all privileges, with GRANT OPTION), able to log
     * in over TCP from loopback: what the operator logs in as to create ProxySQL's monitor user.
     */
    public LocalMariaDb withAdmin(String name, String password) {
        MariaDbServers.adminStatements(name, password, HOST).forEach(this::withInitStatement);
        return this;
    }

    /**
     * A statement the server runs at boot (via {@code --init-file}), before it accepts connections. It
     * must be idempotent: a start retried on another port runs the file again.
     */
    public LocalMariaDb withInitStatement(String sql) {
        if (server != null) {
            throw new IllegalStateException("the server is already running");
        }
        initStatements.add(sql);
        return this;
    }

    public int port() {
        requireRunning();
        return port;
    }

    /** A connection as the privileged set-up user; the caller closes it. */
    public Connection connectAsSetupUser() throws SQLException {
        requireRunning();
        return connect(SETUP_USER, setupPassword, Duration.ofSeconds(5));
    }

    /** Runs statements as the set-up user, e.g. to create tables a test reads. */
    public void execute(String... statements) throws SQLException {
        try (Connection connection = connectAsSetupUser(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Creates the datadir and starts the server; returns once it accepts logins. */
    public void start() throws IOException, InterruptedException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Path mariadbd = MariaDbBinaries.require("mariadbd");
        baseDir = Files.createTempDirectory("local-mariadb-");
        try {
            MariaDbServers.installDataDir(baseDir.resolve("data"), System.getProperty("user.name"), baseDir.resolve("install.log"));
            Path initFile = MariaDbServers.writeInitFile(baseDir.resolve("init.sql"), initStatements);
            startServer(mariadbd, initFile);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
    }


    private void startServer(Path mariadbd, Path initFile) throws IOException, InterruptedException {
        Path errorLog = baseDir.resolve("error.log");
        for (int attempt = 1; ; attempt++) {
            port = freeLoopbackPort();
            List<String> command = new ArrayList<>(List.of(mariadbd.toString(),
                    "--no-defaults",
                    "--user=" + System.getProperty("user.name"), // mariadbd refuses to run as root without it
                    "--datadir=" + baseDir.resolve("data"),
                    "--bind-address=" + HOST,
                    "--port=" + port,
                    "--socket=" + baseDir.resolve("mysqld.sock"),
                    "--pid-file=" + baseDir.resolve("mysqld.pid"),
                    "--log-error=" + errorLog,
                    "--skip-name-resolve",
                    "--init-file=" + initFile,
                    "--general-log=1",
                    "--log-output=TABLE",
                    "--innodb-buffer-pool-size=32M"));
            command.addAll(serverOptions);
            server = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(baseDir.resolve("stdout.log").toFile())
                    .start();
            registerKillOnJvmExit(server);
            if (awaitReady(errorLog)) {
                return;
            }
            String log = tail(errorLog);
            stopServer();
            boolean portTaken = log.contains("Address already in use") || log.contains("Do you already have another");
            if (!portTaken || attempt == START_ATTEMPTS) {
                throw new IllegalStateException("mariadbd did not start (attempt " + attempt + ")\n" + log);
            }
        }
    }

    /**
     * Polls until the set-up user can log in; false if the process exits first. Between attempts it
     * waits on the process itself, so an early exit is noticed at once.
     */
    private boolean awaitReady(Path errorLog) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_DEADLINE);
        SQLException lastError = null;
        while (Instant.now().isBefore(deadline)) {
            try (Connection ignored = connect(SETUP_USER, setupPassword, Duration.ofSeconds(2))) {
                return true;
            } catch (SQLException e) {
                lastError = e;
            }
            if (server.waitFor(100, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        throw new IllegalStateException("mariadbd on port " + port + " did not accept logins within " + READY_DEADLINE
                + "; last error: " + lastError + "\n" + tail(errorLog));
    }

    /** Shuts the server down cleanly (SIGTERM) and deletes its files. Safe to call more than once. */
    public void stop() {
        try {
            stopServer();
        } finally {
            deleteBaseDir();
        }
    }

    private void stopServer() {
        if (server == null) {
            return;
        }
        Process process = server;
        server = null;
        process.destroy(); // SIGTERM: mariadbd shuts down cleanly
        LocalProcesses.awaitExit(process, STOP_DEADLINE, killOnJvmExit);
        killOnJvmExit = null;
    }

    // If the JVM dies without afterAll (e.g. Surefire's fork is killed), do not leave a server behind.
    private void registerKillOnJvmExit(Process process) {
        killOnJvmExit = LocalProcesses.killOnJvmExit(process, "local-mariadb");
    }

    private void deleteBaseDir() {
        MariaDbServers.deleteTree(baseDir);
        baseDir = null;
    }

    private Connection connect(String user, String password, Duration timeout) throws SQLException {
        return MariaDbServers.connect(HOST, port, user, password, timeout);
    }

    private void requireRunning() {
        if (server == null) {
            throw new IllegalStateException("the MariaDB server is not running");
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        return MariaDbServers.tail(log);
    }
}
