package dev.proxysql.operator.testing.galera;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded client load of short write transactions ({@code BEGIN; INSERT (client, seq); COMMIT}), each client thread
 * on its own connection, for failover tests and the failover benchmark. A transaction is <em>acknowledged</em> when its
 * COMMIT returned; a failed one closes the connection and the client reconnects: to the same endpoint
 * ({@link Reconnect#SAME}, a client of ProxySQL; client i starts on endpoint i modulo their count) or to the next one in
 * the list ({@link Reconnect#NEXT}, a client that knows the database nodes itself; every client starts on the first,
 * as an application configured with one primary address and fallbacks). It stops after {@code maxTransactions} attempts or when closed. It asserts nothing:
 * {@link #lost} and {@link #figures} say what happened.
 */
public final class WriteLoad implements AutoCloseable {

    /** Where a client goes after a failure. */
    public enum Reconnect { SAME, NEXT }

    /** One acknowledged (committed) row. */
    public record Row(int client, long seq) {
    }

    /**
     * What happened around one event (e.g. a kill): the time from it to the first acknowledged transaction that began
     * after it, the transactions and connects that failed, and the acknowledged ones.
     */
    public record Figures(long acknowledged, long failedTransactions, long failedConnects, Duration firstWriteAfterEvent,
                          long inDoubt) {
        public String describe() {
            return String.format(Locale.ROOT, "first write %d ms after the kill, %d failed transactions, %d failed connects,"
                            + " %d acknowledged, %d failed commits whose row is there anyway",
                    firstWriteAfterEvent == null ? -1 : firstWriteAfterEvent.toMillis(), failedTransactions, failedConnects,
                    acknowledged, inDoubt);
        }
    }

    private final List<String> endpoints;
    private final Properties login = new Properties();
    private final String table;
    private final Reconnect reconnect;
    private final int maxTransactions;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<Row> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<Row> failed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicLong failedConnects = new AtomicLong();
    private final AtomicLong failedConnectsAfterEvent = new AtomicLong();
    private final AtomicLong failedAfterEvent = new AtomicLong();
    private final AtomicLong firstAckAfterEvent = new AtomicLong(Long.MAX_VALUE);
    private volatile long eventAt = Long.MAX_VALUE;
    private volatile boolean running = true;

    /**
     * {@code clients} threads writing into {@code table} (columns {@code client INT, seq BIGINT}, primary key both) through
     * {@code endpoints} ("host:port"; where each client starts: see the class comment).
     */
    public WriteLoad(List<String> endpoints, String user, String password, String table, int clients, Reconnect reconnect,
            int maxTransactions) {
        this.endpoints = List.copyOf(endpoints);
        this.table = table;
        this.reconnect = reconnect;
        this.maxTransactions = maxTransactions;
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("connectTimeout", "2000");
        login.setProperty("socketTimeout", "15000");
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread t = new Thread(() -> run(client), "write-load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Creates the table the load writes into (run it on one node; Galera replicates it). */
    public static void createTable(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (client INT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (client, seq))");
        }
    }

    private void run(int client) {
        int endpoint = reconnect == Reconnect.SAME ? client % endpoints.size() : 0;
        Connection c = null;
        long seq = 0;
        while (running && attempts.get() < maxTransactions) {
            if (c == null) {
                try {
                    c = connect(endpoints.get(endpoint));
                } catch (SQLException e) {
                    countFailedConnect();
                    endpoint = next(endpoint);
                    // A refused connect returns at once: pace the retries instead of spinning on a dead endpoint.
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                    continue;
                }
            }
            attempts.incrementAndGet();
            Row row = new Row(client, ++seq);
            long began = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (client, seq) VALUES (?, ?)")) {
                insert.setInt(1, row.client());
                insert.setLong(2, row.seq());
                insert.executeUpdate();
                c.commit();
                acknowledged.add(row);
                if (began > eventAt) {
                    firstAckAfterEvent.accumulateAndGet(System.nanoTime(), Math::min);
                }
            } catch (SQLException e) {
                failed.add(row);
                if (began > eventAt || System.nanoTime() > eventAt) {
                    failedAfterEvent.incrementAndGet();
                }
                close(c);
                c = null;
                endpoint = next(endpoint);
            }
        }
        close(c);
    }

    private int next(int endpoint) {
        return reconnect == Reconnect.NEXT ? (endpoint + 1) % endpoints.size() : endpoint;
    }

    private void countFailedConnect() {
        failedConnects.incrementAndGet();
        if (System.nanoTime() > eventAt) {
            failedConnectsAfterEvent.incrementAndGet();
        }
    }

    private Connection connect(String endpoint) throws SQLException {
        Connection c = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + endpoint + "/", login);
        c.setAutoCommit(false);
        return c;
    }

    private static void close(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // the connection is gone anyway
        }
    }

    /** Acknowledged transactions so far. */
    public int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Marks now as the event (e.g. the kill) the figures are measured from; call it just before the event. */
    public void markEvent() {
        eventAt = System.nanoTime();
    }

    /** Acknowledged transactions that began after the event. */
    public boolean wroteAfterEvent() {
        return firstAckAfterEvent.get() != Long.MAX_VALUE;
    }

    public boolean exhausted() {
        return attempts.get() >= maxTransactions || threads.stream().noneMatch(Thread::isAlive);
    }

    /** Stops the clients and waits for their last transaction. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** The figures since {@link #markEvent()}; {@code rowsOnCluster} (from {@link #rows}) tells the in-doubt commits. */
    public Figures figures(Set<Row> rowsOnCluster) {
        long first = firstAckAfterEvent.get();
        Set<Row> inDoubt = new HashSet<>(failed);
        inDoubt.retainAll(rowsOnCluster);
        return new Figures(acknowledged.size(), failedAfterEvent.get(), failedConnectsAfterEvent.get(),
                first == Long.MAX_VALUE ? null : Duration.ofNanos(first - eventAt), inDoubt.size());
    }

    /** Acknowledged rows that {@code rowsOnNode} does not have: lost writes. */
    public Set<Row> lost(Set<Row> rowsOnNode) {
        Set<Row> lost = new HashSet<>(acknowledged);
        lost.removeAll(rowsOnNode);
        return lost;
    }

    /**
     * Every row of the load's table as one node has it, after it applied every write-set it had received
     * ({@code wsrep_sync_wait}: Galera applies replicated writes asynchronously).
     */
    public static Set<Row> rows(Connection c, String table) throws SQLException {
        Set<Row> rows = new HashSet<>();
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT client, seq FROM " + table)) {
            while (rs.next()) {
                rows.add(new Row(rs.getInt(1), rs.getLong(2)));
            }
        }
        return rows;
    }
}
