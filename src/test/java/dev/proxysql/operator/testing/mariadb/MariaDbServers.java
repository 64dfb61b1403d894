package dev.proxysql.operator.testing.mariadb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the private MariaDB fixtures share ({@link LocalMariaDb}, {@code testing.galera.LocalGalera}): a datadir made by
 * {@code mariadb-install-db}, the init statements that create test users, logins over TCP, the error log's tail for
 * failure messages, and deleting a server's files.
 */
public final class MariaDbServers {

    private static final Duration INSTALL_DEADLINE = Duration.ofMinutes(2);

    private MariaDbServers() {
    }

    /** The statements that add a user who may log in from {@code host} (a pattern such as {@code 127.%}) with grants. */
    public static List<String> userStatements(String name, String password, String host, String... grants) {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE USER IF NOT EXISTS '" + name + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
        for (String grant : grants) {
            statements.add("GRANT " + grant + " TO '" + name + "'@'" + host + "'");
        }
        return statements;
    }

    /** The statements that add an administrator as KubeDB's AppBinding Secret names one (all privileges, GRANT OPTION). */
    public static List<String> adminStatements(String name, String password, String host) {
        return List.of("CREATE USER IF NOT EXISTS '" + name + "'@'" + host + "' IDENTIFIED BY '" + password + "'",
                "GRANT ALL PRIVILEGES ON *.* TO '" + name + "'@'" + host + "' WITH GRANT OPTION");
    }

    /** Writes the statements as an {@code --init-file}; the server runs them at boot, before it accepts connections. */
    public static Path writeInitFile(Path file, List<String> statements) throws IOException {
        Files.write(file, statements.stream().map(sql -> sql + ";").toList(), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Runs {@code mariadb-install-db} into {@code datadir} as {@code user} (who then owns the files); its output goes to
     * {@code log}, whose tail is in the failure message.
     */
    public static void installDataDir(Path datadir, String user, Path log) throws IOException, InterruptedException {
        Process install = new ProcessBuilder(MariaDbBinaries.require("mariadb-install-db").toString(),
                "--no-defaults",
                "--user=" + user,
                "--datadir=" + datadir,
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

    /** A JDBC connection over TCP ({@code timeout} to connect, 30 s per read); the caller closes it. */
    public static Connection connect(String host, int port, String user, String password, Duration timeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
        p.setProperty("socketTimeout", Long.toString(Duration.ofSeconds(30).toMillis()));
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + host + ":" + port + "/", p);
    }

    public static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The last 30 lines of a log, headed by its name, for failure messages. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            return "--- " + log + " (last lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** Deletes a directory tree; nothing when it does not exist. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
