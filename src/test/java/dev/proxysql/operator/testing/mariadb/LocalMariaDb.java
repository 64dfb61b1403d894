package dev.proxysql.operator.testing.mariadb;

import dev.proxysql.operator.testing.LocalProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

    private static final Duration INSTALL_DEADLINE = Duration.ofMinutes(2);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3; // a free port can be taken between choosing and binding it

    private static final String SETUP_USER = "it_setup";

    private final List<String> initStatements = new ArrayList<>();
    private final String setupPassword = randomPassword();

    private Path baseDir;
    private Process server;
    private int port;
    private final List<String> serverOptions = new ArrayList<>();
    private Thread killOnJvmExit;

    public LocalMariaDb() {
        withInitStatement("CREATE USER IF NOT EXISTS '" + SETUP_USER + "'@'" + HOST + "' IDENTIFIED BY '" + setupPassword + "'");
        withInitStatement("GRANT ALL PRIVILEGES ON *.* TO '" + SETUP_USER + "'@'" + HOST + "' WITH GRANT OPTION");
    }

    /**
     * Adds a user that may log in over TCP from loopback, with the given privileges (e.g.
     * {@code "SELECT ON stats.*"}); with none it may log in and run queries that need no privilege.
     */
    public LocalMariaDb withUser(String name, String password, String... grants) {
        withInitStatement("CREATE USER IF NOT EXISTS '" + name + "'@'" + HOST + "' IDENTIFIED BY '" + password + "'");
        for (String grant : grants) {
            withInitStatement("GRANT " + grant + " TO '" + name + "'@'" + HOST + "'");
        }
        return this;
    }

    /**
     * Adds an administrator as KubeDB's AppBinding Secret names one (all privileges, with GRANT OPTION), able to log
     * in over TCP from loopback: what the operator logs in as to create ProxySQL's monitor user.
     */
    /** Extra {@code mariadbd} options, e.g. {@code --ssl-cert=...} and {@code --require-secure-transport=ON}. */
    public LocalMariaDb withServerOptions(String... options) {
        serverOptions.addAll(List.of(options));
        return this;
    }

    public LocalMariaDb withAdmin(String name, String password) {
        withInitStatement("CREATE USER IF NOT EXISTS '" + name + "'@'" + HOST + "' IDENTIFIED BY '" + password + "'");
        return withInitStatement("GRANT ALL PRIVILEGES ON *.* TO '" + name + "'@'" + HOST + "' WITH GRANT OPTION");
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
        Path installDb = MariaDbBinaries.require("mariadb-install-db");
        baseDir = Files.createTempDirectory("local-mariadb-");
        try {
            installDataDir(installDb);
            Path initFile = baseDir.resolve("init.sql");
            Files.write(initFile, initStatements.stream().map(sql -> sql + ";").toList(), StandardCharsets.UTF_8);
            startServer(mariadbd, initFile);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void installDataDir(Path installDb) throws IOException, InterruptedException {
        Path log = baseDir.resolve("install.log");
        Process install = new ProcessBuilder(installDb.toString(),
                "--no-defaults",
                "--user=" + System.getProperty("user.name"),
                "--datadir=" + baseDir.resolve("data"),
                // root may only log in through the (private) socket; tests use their own users over TCP.
                "--auth-root-authentication-method=socket",
                "--skip-test-db")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!install.waitFor(INSTALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            install.destroyForcibly().waitFor();
            throw new IllegalStateException("mariadb-install-db did not finish within " + INSTALL_DEADLINE + "\n" + tail(log));
        }
        if (install.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db failed with exit code " + install.exitValue() + "\n" + tail(log));
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
        if (baseDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + baseDir, e);
        }
        baseDir = null;
    }

    private Connection connect(String user, String password, Duration timeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
        p.setProperty("socketTimeout", Long.toString(Duration.ofSeconds(30).toMillis()));
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + HOST + ":" + port + "/", p);
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

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return "--- " + log.getFileName() + " (last lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }
}
