package dev.proxysql.operator.e2e;

import dev.proxysql.operator.testing.cluster.Await;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Application clients for the length of an operation: {@code threads} connections through ProxySQL's Service, each
 * running short transactions (INSERT a row, SELECT its client's count, COMMIT) back to back. A failed statement
 * closes the connection and the client reconnects at once (a failed connect is retried after 100 ms). The last
 * {@code connecting} of the threads open a new connection for every transaction, as short-lived clients do: they
 * are the ones that meet a pod the Service still routes to but that no longer accepts clients. It counts what
 * happened and when; it asserts nothing.
 */
final class ClientLoad implements AutoCloseable {
    private final String host;
    private final String user;
    private final String password;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong failedConnects = new AtomicLong();
    /** Nanos of the latest successful transaction of any client, and the longest time between two such. */
    private final AtomicLong lastOkAny = new AtomicLong();
    private final AtomicLong longestGapAny = new AtomicLong();
    private final AtomicLong longestGapOneClient = new AtomicLong();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final int count;
    private final int connecting;
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean running;
    private Instant started;

    ClientLoad(String host, String user, String password, int threads) {
        this(host, user, password, threads, 0);
    }

    /** {@code threads} clients, the last {@code connecting} of them on a new connection for every transaction. */
    ClientLoad(String host, String user, String password, int threads, int connecting) {
        this.host = host;
        this.user = user;
        this.password = password;
        this.count = threads;
        this.connecting = connecting;
    }

    static Connection connect(String host, String user, String password) throws SQLException {
        return connect(host, user, password, Map.of());
    }

    /** A client connection through {@code host}:6033 with the driver's {@code options} on top (sslMode, ...). */
    static Connection connect(String host, String user, String password, Map<String, String> options) throws SQLException {
        Properties p = new Properties();
        p.putAll(options);
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2000");
        p.setProperty("socketTimeout", "5000");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + host + ":6033/shop", p);
    }

    void start() {
        running = true;
        started = Instant.now();
        lastOkAny.set(System.nanoTime());
        for (int i = 0; i < count; i++) {
            int client = i;
            Thread t = new Thread(() -> loop(client), "client-load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(int client) {
        boolean connectEachTime = client >= count - connecting;
        Connection c = null;
        boolean connectedBefore = false;
        long lastOk = System.nanoTime();
        while (running) {
            try {
                if (c == null) {
                    try {
                        c = connect(host, user, password);
                    } catch (SQLException e) {
                        failedConnects.incrementAndGet();
                        error(client, "connect", e);
                        pause();
                        continue;
                    }
                    connects.incrementAndGet();
                    if (connectedBefore && !connectEachTime) {
                        reconnects.incrementAndGet();
                    }
                    connectedBefore = true;
                    c.setAutoCommit(false);
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO txn (client, at) VALUES (?, NOW(3))");
                        PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM txn WHERE client = ?")) {
                    insert.setInt(1, client);
                    insert.executeUpdate();
                    select.setInt(1, client);
                    try (ResultSet rs = select.executeQuery()) {
                        rs.next();
                    }
                    c.commit();
                }
                long now = System.nanoTime();
                longestGapOneClient.accumulateAndGet(now - lastOk, Math::max);
                lastOk = now;
                long previous = lastOkAny.getAndSet(now);
                longestGapAny.accumulateAndGet(now - previous, Math::max);
                ok.incrementAndGet();
                if (connectEachTime) {
                    close(c);
                    c = null;
                }
            } catch (SQLException e) {
                failed.incrementAndGet();
                error(client, "transaction", e);
                close(c);
                c = null;
            }
        }
        close(c);
    }

    private void error(int client, String what, SQLException e) {
        if (errors.size() < 10_000) {
            errors.add(String.format("%s client %d %s: %s", Instant.now(), client, what, firstLine(e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    long successes() {
        return ok.get();
    }

    void awaitSuccesses(long n, Duration timeout) {
        Await.until(timeout, n + " successful client transactions through the Service",
                () -> new Progress(ok.get(), failed.get(), failedConnects.get(), lastError()), p -> p.ok() >= n);
    }

    private String lastError() {
        String last = null;
        for (String e : errors) {
            last = e;
        }
        return last;
    }

    private record Progress(long ok, long failed, long failedConnects, String lastError) {
    }

    /** Stops the clients and returns what they saw. */
    Figures stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
        return new Figures(Duration.between(started, Instant.now()), count, connecting, ok.get(), failed.get(), reconnects.get(),
                connects.get(), failedConnects.get(), Duration.ofNanos(longestGapAny.get()), Duration.ofNanos(longestGapOneClient.get()),
                List.copyOf(errors));
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }

    record Figures(Duration duration, int clients, int connecting, long ok, long failed, long reconnects, long connects,
                   long failedConnects, Duration longestGapAnyClient, Duration longestGapOneClient, List<String> errors) {
        @Override
        public String toString() {
            return String.format("%d clients (%d connecting for each transaction) for %d s: %d transactions ok, %d failed,"
                            + " %d reconnects, %d connects ok, %d failed connects;"
                            + " longest time with no transaction succeeding on any client %d ms, on one client %d ms",
                    clients, connecting, duration.toSeconds(), ok, failed, reconnects, connects, failedConnects,
                    longestGapAnyClient.toMillis(), longestGapOneClient.toMillis());
        }

        /** Errors grouped by message (the time and client taken off), with their count and first time. */
        void printErrors() {
            Map<String, long[]> byMessage = new TreeMap<>();
            Map<String, String> first = new TreeMap<>();
            for (String e : errors) {
                String[] parts = e.split(" ", 4);
                // Connection ids differ per error; the kind of error is what counts.
                String message = (parts.length == 4 ? parts[3] : e).replaceAll("\\(conn=\\d+\\) ", "");
                byMessage.computeIfAbsent(message, k -> new long[1])[0]++;
                first.putIfAbsent(message, parts[0]);
            }
            byMessage.forEach((m, n) -> ProxySqlOnRealNodeE2E.log("  %5d x %s (first at %s)", n[0], m, first.get(m)));
        }
    }
}
