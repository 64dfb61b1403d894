package dev.proxysql.bench.galera;

import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.testing.galera.GaleraNode;
import dev.proxysql.operator.testing.galera.GaleraProxySql;
import dev.proxysql.operator.testing.galera.LocalGalera;
import dev.proxysql.operator.testing.galera.WriteLoad;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writer failover on a real 3-node MariaDB Galera cluster (the tests' LocalGalera), the same load two ways in one run:
 * through a 3-node ProxySQL Cluster rendered by the operator (clients on port 6033, reconnecting to the same ProxySQL),
 * and straight to the database nodes (every client on node 1, moving to the next node when a transaction fails). In
 * each round the node taking the writes is SIGKILLed once the load is going; figures per round: time from the kill
 * to the first transaction begun after it that commits, failed transactions and connects, acknowledged writes missing
 * afterwards (must be 0). Rounds alternate the two ways; the killed node is restarted and Synced before the next one.
 */
public final class GaleraFailoverBench {
    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "Shop-Pw-0042";
    private static final Credentials MONITOR = new Credentials("proxysql", "MonitorPw000000000042");
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private record Round(String way, int round, String killed, WriteLoad.Figures figures, int lost) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int clients = Integer.parseInt(System.getProperty("bench.clients", "4"));
        int afterKill = Integer.parseInt(System.getProperty("bench.afterKill", "200"));
        String version = System.getProperty("bench.proxysql", "2.7.1");

        LocalGalera galera = new LocalGalera().withAdmin(ADMIN, ADMIN_PASSWORD)
                .withInitStatement("CREATE DATABASE IF NOT EXISTS shop")
                .withUser(APP_USER, APP_PASSWORD, "ALL PRIVILEGES ON shop.*");
        LocalProxySql proxysql = new LocalProxySql();
        List<Round> results = new ArrayList<>();
        try {
            galera.start();
            log("Galera: 3 nodes Synced after " + galera.startupTime().toMillis() + " ms");
            GaleraProxySql.createMonitorUser(galera, new Credentials(ADMIN, ADMIN_PASSWORD), MONITOR);
            InitSecret users = GaleraProxySql.applicationUser(APP_USER, APP_PASSWORD);
            List<ProxySqlNode> proxies = proxysql.startCluster(version, GaleraProxySql.render(galera, MONITOR, 3, List.of(), users),
                    TestConfigs.peers(3));
            for (int round = 1; round <= rounds; round++) {
                for (String way : List.of("ProxySQL", "direct")) {
                    String writer = await("every ProxySQL node to agree on one writer and list 3 readers", () -> {
                        String w = GaleraProxySql.agreedWriter(proxies);
                        boolean readers = proxies.stream().allMatch(p -> GaleraProxySql.online(p, GaleraProxySql.READER).size() == 3);
                        return readers ? w : null;
                    });
                    results.add(way.equals("ProxySQL")
                            ? round(galera, way, round, galera.nodeAt(writer), endpoints(proxies), WriteLoad.Reconnect.SAME, clients, afterKill)
                            : round(galera, way, round, galera.node(1 + (round - 1) % 3), null, WriteLoad.Reconnect.NEXT, clients, afterKill));
                }
            }
        } finally {
            proxysql.stopAll();
            galera.stop();
        }
        print(version, clients, afterKill, results);
    }

    private static List<String> endpoints(List<ProxySqlNode> proxies) {
        return proxies.stream().map(p -> p.address() + ":" + ProxySqlNode.MYSQL_PORT).toList();
    }

    /** One kill under load; {@code endpoints} null: straight to the nodes, the victim first. */
    private static Round round(LocalGalera galera, String way, int round, GaleraNode victim, List<String> endpoints,
            WriteLoad.Reconnect reconnect, int clients, int afterKill) throws Exception {
        if (endpoints == null) {
            List<GaleraNode> order = new ArrayList<>(galera.nodes());
            order.sort(Comparator.comparing((GaleraNode n) -> n != victim)); // the victim first
            endpoints = order.stream().map(n -> n.address() + ":" + n.port()).toList();
        }
        String table = "shop.bench_" + way.toLowerCase(Locale.ROOT) + "_" + round;
        try (Connection c = galera.nodes().stream().filter(n -> n != victim).findFirst().orElseThrow().connectAsSetupUser()) {
            WriteLoad.createTable(c, table);
        }
        log(way + " round " + round + ": load on, then SIGKILL of " + victim);
        WriteLoad load = new WriteLoad(endpoints, APP_USER, APP_PASSWORD, table, clients, reconnect, 100_000);
        int lost = 0;
        WriteLoad.Figures figures;
        try {
            await("200 acknowledged writes before the kill", () -> load.acknowledgedCount() >= 200 ? true : null);
            load.markEvent();
            victim.kill();
            await("a write begun after the kill to succeed", () -> load.wroteAfterEvent() ? true : null);
            int now = load.acknowledgedCount();
            await(afterKill + " more acknowledged writes", () -> load.acknowledgedCount() >= now + afterKill ? true : null);
        } finally {
            load.close();
        }
        Set<WriteLoad.Row> rows = Set.of();
        for (GaleraNode survivor : galera.nodes()) {
            if (survivor != victim) {
                try (Connection c = survivor.connectAsSetupUser()) {
                    rows = WriteLoad.rows(c, table);
                }
                lost = Math.max(lost, load.lost(rows).size());
            }
        }
        figures = load.figures(rows);
        log(way + " round " + round + ": " + figures.describe() + ", " + lost + " lost");
        galera.restart(victim);
        return new Round(way, round, victim.address(), figures, lost);
    }

    private static <T> T await(String what, Supplier<T> probe) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        Duration pause = Duration.ofMillis(20);
        while (System.nanoTime() < end) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException notYet) {
                // e.g. an admin interface busy; retried
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pause.toNanos());
        }
        throw new IllegalStateException("timed out after " + DEADLINE + " waiting for " + what);
    }

    private static void print(String version, int clients, int afterKill, List<Round> results) {
        System.out.println();
        System.out.printf("== Galera writer failover: ProxySQL %s in front vs clients straight to the nodes; %d clients of short"
                + " write transactions, %d more acknowledged after the kill%n", version, clients, afterKill);
        System.out.println("| Way | Round | Killed | Kill -> first write | Failed transactions | Failed connects | Acknowledged | Lost | Failed but committed |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Round r : results) {
            WriteLoad.Figures f = r.figures();
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %d ms | %d | %d | %d | %d | %d |%n", r.way(), r.round(), r.killed(),
                    f.firstWriteAfterEvent() == null ? -1 : f.firstWriteAfterEvent().toMillis(), f.failedTransactions(),
                    f.failedConnects(), f.acknowledged(), r.lost(), f.inDoubt());
        }
        for (String way : List.of("ProxySQL", "direct")) {
            List<Round> mine = results.stream().filter(r -> r.way().equals(way)).toList();
            System.out.printf(Locale.ROOT, "%s: median kill -> first write %d ms, median failed transactions %d, lost %d%n", way,
                    median(mine.stream().map(r -> r.figures().firstWriteAfterEvent() == null ? -1 : r.figures().firstWriteAfterEvent().toMillis()).toList()),
                    median(mine.stream().map(r -> r.figures().failedTransactions()).toList()),
                    mine.stream().mapToInt(Round::lost).sum());
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
    }

    private static void log(String message) {
        System.err.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), message);
    }

    private GaleraFailoverBench() {
    }
}
