package dev.proxysql.operator.proxysql.admin;

import dev.proxysql.operator.proxysql.admin.FailureClassifier.Phase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks one ProxySQL's admin interface (MySQL protocol, port 6032 by default) simple questions: the
 * ProxySQL-level check the ops manager makes after replacing a pod, and a health check for the
 * provisioner.
 *
 * <p>Every call opens its own connection and closes it before returning: the checks are rare, and a
 * held connection would be one more thing to go stale across pod restarts. The client keeps no mutable
 * state, so one instance may be used from several threads at once.
 *
 * <p>No call throws for a failed check; each returns an {@link AdminResult} whose failure is classified
 * and whose message never contains the password.
 */
public final class ProxySQLAdminClient {

    private static final Logger LOG = LoggerFactory.getLogger(ProxySQLAdminClient.class);

    // On the admin port ProxySQL intercepts this and answers with its own build version, not the
    // mysql-server_version it shows in the handshake. (On 6033 it would be forwarded to a backend.)
    static final String VERSION_QUERY = "SELECT @@version";

    // Runs on the admin module's SQLite engine, so an answer proves more than the protocol handler being alive.
    static final String PING_QUERY = "SELECT 1";

    // Qualified with the schema ProxySQL attaches the stats database as in every admin session (its
    // docs do the same: SHOW CREATE TABLE stats.stats_proxysql_servers_checksums). Qualifying also lets
    // the integration tests serve the table from a MariaDB schema named stats.
    static final String CHECKSUMS_QUERY = "SELECT hostname, port, name, version, epoch, checksum, changed_at, updated_at, diff_check"
            + " FROM stats.stats_proxysql_servers_checksums ORDER BY hostname, port, name";

    static final String PEERS_QUERY = "SELECT hostname, port FROM runtime_proxysql_servers ORDER BY hostname, port";

    static final String BACKENDS_QUERY = "SELECT hostgroup_id, hostname, port, status FROM runtime_mysql_servers"
            + " ORDER BY hostgroup_id, hostname, port";

    // The monitor's two liveness checks, newest first; the caller keeps the newest per server. Times are microseconds.
    static final String PROBES_QUERY = "SELECT hostname, port, time_start_us, connect_error AS error"
            + " FROM monitor.mysql_server_connect_log"
            + " UNION ALL SELECT hostname, port, time_start_us, ping_error FROM monitor.mysql_server_ping_log"
            + " ORDER BY time_start_us DESC";

    static final String CLIENT_CONNECTIONS_QUERY = "SELECT Variable_Value FROM stats.stats_mysql_global"
            + " WHERE Variable_Name = 'Client_Connections_connected'";

    private static final java.util.regex.Pattern HOSTNAME = java.util.regex.Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?");

    private final AdminEndpoint endpoint;
    private final AdminCredentials credentials;
    private final AdminTimeouts timeouts;
    private final AdminConnector connector = new AdminConnector();

    public ProxySQLAdminClient(AdminEndpoint endpoint, AdminCredentials credentials, AdminTimeouts timeouts) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /** A client with {@link AdminTimeouts#DEFAULT}. */
    public ProxySQLAdminClient(AdminEndpoint endpoint, AdminCredentials credentials) {
        this(endpoint, credentials, AdminTimeouts.DEFAULT);
    }

    public AdminEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Logs in and runs {@code SELECT 1}.
     *
     * @return on success, how long connecting, logging in and the query took together
     */
    public AdminResult<Duration> ping() {
        long started = System.nanoTime();
        return withSession("ping", statement -> {
            try (ResultSet rows = statement.executeQuery(PING_QUERY)) {
                if (!rows.next()) {
                    return AdminResult.failure(AdminFailureKind.QUERY_FAILED,
                            PING_QUERY + " on " + endpoint + " returned no row");
                }
            }
            return AdminResult.success(Duration.ofNanos(System.nanoTime() - started));
        });
    }

    /** The version ProxySQL reports for {@code SELECT @@version}; QUERY_FAILED if it is not a version. */
    public AdminResult<RunningVersion> runningVersion() {
        return withSession("version", statement -> {
            String reported;
            try (ResultSet rows = statement.executeQuery(VERSION_QUERY)) {
                reported = rows.next() ? rows.getString(1) : null;
            }
            if (reported == null) {
                return AdminResult.failure(AdminFailureKind.QUERY_FAILED,
                        VERSION_QUERY + " on " + endpoint + " returned no version");
            }
            return RunningVersion.parse(reported)
                    .<AdminResult<RunningVersion>>map(AdminResult::success)
                    .orElseGet(() -> AdminResult.failure(AdminFailureKind.QUERY_FAILED,
                            endpoint + " reported version '" + reported + "', which does not start with MAJOR.MINOR.PATCH"));
        });
    }

    /**
     * This node's view of its cluster peers' configuration checksums, ordered by host, port and module;
     * empty if the node is not part of a ProxySQL cluster. See {@link ClusterChecksums} for evaluating it.
     */
    public AdminResult<List<PeerChecksum>> peerChecksums() {
        return withSession("checksums", statement -> {
            List<PeerChecksum> checksums = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(CHECKSUMS_QUERY)) {
                while (rows.next()) {
                    checksums.add(new PeerChecksum(
                            rows.getString("hostname"),
                            rows.getInt("port"),
                            rows.getString("name"),
                            rows.getLong("version"),
                            Instant.ofEpochSecond(rows.getLong("epoch")),
                            rows.getString("checksum"),
                            Instant.ofEpochSecond(rows.getLong("changed_at")),
                            Instant.ofEpochSecond(rows.getLong("updated_at")),
                            rows.getLong("diff_check")));
                }
            }
            return AdminResult.success(List.copyOf(checksums));
        });
    }

    /** The node's ProxySQL Cluster peers as loaded to runtime ({@code runtime_proxysql_servers}); empty if none. */
    public AdminResult<List<ClusterPeer>> clusterPeers() {
        return withSession("cluster peers", statement -> {
            List<ClusterPeer> peers = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(PEERS_QUERY)) {
                while (rows.next()) {
                    peers.add(new ClusterPeer(rows.getString("hostname"), rows.getInt("port")));
                }
            }
            return AdminResult.success(List.copyOf(peers));
        });
    }

    /** The backend servers the node routes to now ({@code runtime_mysql_servers}), with their status. */
    public AdminResult<List<BackendServerState>> backendServers() {
        return withSession("backend servers", statement -> {
            List<BackendServerState> servers = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(BACKENDS_QUERY)) {
                while (rows.next()) {
                    servers.add(new BackendServerState(rows.getInt("hostgroup_id"), rows.getString("hostname"),
                            rows.getInt("port"), rows.getString("status")));
                }
            }
            return AdminResult.success(List.copyOf(servers));
        });
    }

    /**
     * The monitor's newest connect-or-ping result for each backend server it has checked, ordered by host and port;
     * a server the monitor has not checked yet is absent.
     */
    public AdminResult<List<BackendProbe>> backendProbes() {
        return withSession("backend probes", statement -> {
            Map<String, BackendProbe> newest = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery(PROBES_QUERY)) {
                while (rows.next()) {
                    BackendProbe probe = new BackendProbe(rows.getString("hostname"), rows.getInt("port"),
                            Instant.EPOCH.plus(rows.getLong("time_start_us"), ChronoUnit.MICROS), rows.getString("error"));
                    newest.putIfAbsent(probe.hostname() + ":" + probe.port(), probe);
                }
            }
            return AdminResult.success(List.copyOf(newest.values()));
        });
    }

    /**
     * Makes {@code peers} the node's whole ProxySQL Cluster membership, in memory, at runtime and on disk: a node that
     * keeps its datadir reads {@code proxysql.db}, not proxysql.cnf, when it restarts, so only the admin interface can
     * tell it. Rows as the provisioner renders them (weight 1, no comment), so that a node started from the rendered
     * proxysql.cnf has the same checksum. {@code LOAD ... TO RUNTIME} bumps the node's proxysql_servers version, which
     * makes it a source its peers may pull from: every node must be given the same list.
     */
    public AdminResult<Boolean> setClusterPeers(List<ClusterPeer> peers) {
        for (ClusterPeer peer : peers) {
            if (!HOSTNAME.matcher(peer.hostname()).matches()) {
                return AdminResult.failure(AdminFailureKind.QUERY_FAILED, "not a host name: '" + peer.hostname() + "'");
            }
        }
        return withSession("set cluster peers", statement -> {
            statement.execute("DELETE FROM proxysql_servers");
            for (ClusterPeer peer : peers) {
                statement.execute("INSERT INTO proxysql_servers (hostname, port, weight, comment) VALUES ('" + peer.hostname()
                        + "', " + peer.port() + ", 1, '')");
            }
            statement.execute("LOAD PROXYSQL SERVERS TO RUNTIME");
            statement.execute("SAVE PROXYSQL SERVERS TO DISK");
            return AdminResult.success(true);
        });
    }

    /**
     * {@code PROXYSQL PAUSE}: the node stops accepting client connections (it closes its listeners, so the pod's
     * readiness probe fails and Kubernetes takes it out of the Service), while the connections it has go on. Already
     * paused counts as done, so the call may be repeated.
     */
    public AdminResult<Boolean> stopAcceptingClients() {
        return moduleCommand("PROXYSQL PAUSE", "already paused");
    }

    /** {@code PROXYSQL RESUME}, the undo of {@link #stopAcceptingClients}; not paused counts as done. */
    public AdminResult<Boolean> acceptClients() {
        return moduleCommand("PROXYSQL RESUME", "not paused");
    }

    /** How many client connections the node holds ({@code Client_Connections_connected}). */
    public AdminResult<Long> clientConnections() {
        return withSession("client connections", statement -> {
            try (ResultSet rows = statement.executeQuery(CLIENT_CONNECTIONS_QUERY)) {
                return rows.next() ? AdminResult.success(rows.getLong(1))
                        : AdminResult.failure(AdminFailureKind.QUERY_FAILED, CLIENT_CONNECTIONS_QUERY + " on " + endpoint + " returned no row");
            }
        });
    }

    private AdminResult<Boolean> moduleCommand(String command, String alreadyDone) {
        return withSession(command, statement -> {
            try {
                statement.execute(command);
            } catch (SQLException e) {
                if (e.getMessage() == null || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(alreadyDone)) {
                    throw e;
                }
            }
            return AdminResult.success(true);
        });
    }

    /** Work done with a logged-in session; may throw, the caller classifies. */
    @FunctionalInterface
    private interface SessionWork<T> {
        AdminResult<T> run(Statement statement) throws SQLException;
    }

    private <T> AdminResult<T> withSession(String check, SessionWork<T> work) {
        Phase phase = Phase.CONNECT;
        Connection connection = null;
        AdminResult<T> result;
        try {
            connection = connector.open(endpoint, credentials, timeouts);
            phase = Phase.QUERY;
            try (Statement statement = connection.createStatement()) {
                result = work.run(statement);
            }
        } catch (SQLException e) {
            result = new AdminResult.Failure<>(FailureClassifier.classify(e, phase, endpoint, credentials));
        } catch (RuntimeException e) {
            // Unexpected driver behaviour (e.g. a value that does not convert) must not escape a health
            // check as an exception; it is still a failed query, reported without the password.
            result = AdminResult.failure(AdminFailureKind.QUERY_FAILED, SecretRedactor.redact(
                    check + " check on " + endpoint + " failed: " + e, credentials.password()));
        } finally {
            closeQuietly(connection);
        }
        if (result instanceof AdminResult.Failure<T> failed) {
            LOG.debug("ProxySQL admin {} check on {} failed: {}", check, endpoint, failed.failure());
        } else {
            LOG.debug("ProxySQL admin {} check on {} succeeded", check, endpoint);
        }
        return result;
    }

    private void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // The check's outcome is already decided; a failed COM_QUIT on a dead socket changes nothing.
            LOG.trace("closing admin connection to {} failed: {}", endpoint, e.getMessage());
        }
    }
}
