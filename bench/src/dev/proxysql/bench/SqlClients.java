package dev.proxysql.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Application clients through a ProxySQL Service for the length of one upgrade (the idea of the e2e test's ClientLoad):
 * each thread keeps one connection and runs short autocommit INSERTs back to back; a failed statement closes the
 * connection and the thread reconnects at once, a failed connect is retried after 100 ms. Counts, asserts nothing.
 */
final class SqlClients implements AutoCloseable {
    private final String url;
    private final Properties login = new Properties();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong failedConnects = new AtomicLong();
    private final AtomicLong lastOk = new AtomicLong();
    private final AtomicLong longestGap = new AtomicLong();
    private volatile boolean running = true;

    /** Figures of one run; the longest gap is the longest time no client had a statement succeed. */
    record Figures(long ok, long failed, long failedConnects, double longestGapMs) {
        String describe() {
            return String.format(Locale.ROOT, "%d ok, %d failed statements, %d failed connects, longest gap %.0f ms",
                    ok, failed, failedConnects, longestGapMs);
        }
    }

    SqlClients(String host, String user, String password, String database, int count) {
        url = "jdbc:mariadb://" + host + ":6033/" + database;
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("connectTimeout", "2000");
        login.setProperty("socketTimeout", "5000");
        lastOk.set(System.nanoTime());
        for (int i = 0; i < count; i++) {
            int client = i;
            Thread t = new Thread(() -> run(client), "sql-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(int client) {
        Connection c = null;
        while (running) {
            try {
                if (c == null) {
                    c = new org.mariadb.jdbc.Driver().connect(url, login);
                }
            } catch (SQLException e) {
                failedConnects.incrementAndGet();
                pause();
                continue;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO load_rows (client) VALUES (?)")) {
                insert.setInt(1, client);
                insert.executeUpdate();
                long now = System.nanoTime();
                long before = lastOk.getAndSet(now);
                longestGap.accumulateAndGet(now - before, Math::max);
                ok.incrementAndGet();
            } catch (SQLException e) {
                if (running) {
                    failed.incrementAndGet();
                }
                close(c);
                c = null;
            }
        }
        close(c);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
    }

    long ok() {
        return ok.get();
    }

    /** Stops the clients and returns what happened since they started. */
    Figures stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
        return new Figures(ok.get(), failed.get(), failedConnects.get(), longestGap.get() / 1e6);
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }
}
