package dev.proxysql.operator.proxysql.backend;

import dev.proxysql.operator.proxysql.admin.PlainLogin;
import dev.proxysql.operator.proxysql.config.Credentials;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The password hashes of application users as the backend stores them ({@code mysql.user}), for a Reconfigure that
 * adds or updates users in ProxySQL: ProxySQL accepts a {@code mysql_native_password} hash ({@code *} and 40 hex
 * digits) in {@code mysql_users.password} and authenticates clients with it, so no clear password is ever needed.
 * Logged in with the AppBinding's credentials (which KubeDB requires to read {@code mysql.user}).
 */
public final class BackendPasswordHashes {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@-]{1,80}");
    private static final Pattern NATIVE_HASH = Pattern.compile("\\*[0-9A-Fa-f]{40}");
    private final java.sql.Driver driver = new org.mariadb.jdbc.Driver();
    private final Duration connectTimeout;
    private final Duration socketTimeout;

    public BackendPasswordHashes(Duration connectTimeout, Duration socketTimeout) {
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    /** What the backend has for each user: a usable hash, or why there is none. */
    public record Lookup(Map<String, String> hashes, Map<String, String> problems) {
    }

    /**
     * Looks the users up; a user with several host entries takes the {@code '%'} one if it has one. A user absent from
     * {@code mysql.user}, or whose password is not a {@code mysql_native_password} hash, is in {@link Lookup#problems}.
     */
    public Lookup lookup(String host, int port, Credentials login, Collection<String> usernames) throws SQLException {
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        for (String u : usernames) {
            if (!USERNAME.matcher(u).matches()) {
                problems.put(u, "is not a username this operator looks up");
            }
        }
        var valid = usernames.stream().filter(u -> !problems.containsKey(u)).toList();
        if (valid.isEmpty()) {
            return new Lookup(hashes, problems);
        }
        Map<String, String> found = new LinkedHashMap<>();
        Map<String, String> plugins = new LinkedHashMap<>();
        String sql = "SELECT User, Host, plugin, authentication_string FROM mysql.user WHERE User IN ("
                + valid.stream().map(u -> "'" + u + "'").collect(Collectors.joining(", ")) + ") ORDER BY (Host = '%') DESC";
        try (Connection c = open(host, port, login); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String user = rs.getString("User");
                String hash = rs.getString("authentication_string");
                plugins.putIfAbsent(user, rs.getString("plugin"));
                if (hash != null && NATIVE_HASH.matcher(hash).matches()) {
                    found.putIfAbsent(user, hash.toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        for (String u : valid) {
            if (found.containsKey(u)) {
                hashes.put(u, found.get(u));
            } else if (plugins.containsKey(u)) {
                problems.put(u, "has no mysql_native_password hash on the backend (plugin " + plugins.get(u) + ")");
            } else {
                problems.put(u, "does not exist on the backend");
            }
        }
        return new Lookup(hashes, problems);
    }

    private Connection open(String host, int port, Credentials login) throws SQLException {
        Connection c = driver.connect("jdbc:mariadb://" + host + ":" + port + "/",
                PlainLogin.properties(login.username(), login.password(), (int) connectTimeout.toMillis(), (int) socketTimeout.toMillis()));
        if (c == null) {
            throw new SQLException("the driver did not accept the backend's URL");
        }
        return c;
    }
}
