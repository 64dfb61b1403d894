package dev.proxysql.operator.proxysql.backend;

import dev.proxysql.operator.proxysql.config.BackendMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One privilege ProxySQL's monitor needs on the backend, and why. Nothing here reads application data: the monitor
 * only asks a server about its own state.
 *
 * @param privileges    as written after {@code GRANT}
 * @param on            as written after {@code ON}
 * @param serverDefined when non-null, the privilege exists only on servers whose {@code SHOW PRIVILEGES} lists this
 *                      name, and is granted only there
 */
public record MonitorGrant(String privileges, String on, String serverDefined) {

    /**
     * {@code SHOW SLAVE STATUS} (replication lag) and {@code @@read_only} / {@code SELECT 1} need no more than this on
     * MySQL; on MariaDB 10.5+ REPLICATION CLIENT is only an alias of BINLOG MONITOR and no longer covers it.
     */
    static final MonitorGrant REPLICATION_CLIENT = new MonitorGrant("REPLICATION CLIENT", "*.*", null);
    /** MariaDB 10.5+: what {@code SHOW SLAVE STATUS} needs there (called REPLICA MONITOR from 10.5.9 as well). */
    static final MonitorGrant SLAVE_MONITOR = new MonitorGrant("SLAVE MONITOR", "*.*", "Slave monitor");
    /** Group Replication: ProxySQL reads {@code sys.gr_member_routing_candidate_status}, a view KubeDB's image installs. */
    static final MonitorGrant SYS = new MonitorGrant("SELECT", "sys.*", null);
    /**
     * Group Replication: that view reads {@code performance_schema.replication_group_*} as the invoker. Galera on
     * MySQL 5.7/8 (Percona XtraDB Cluster): ProxySQL's Galera check reads {@code performance_schema.global_status}.
     */
    static final MonitorGrant PERFORMANCE_SCHEMA = new MonitorGrant("SELECT", "performance_schema.*", null);

    /**
     * What the monitor of a backend in this mode needs, in the order it is granted. Galera: ProxySQL's Galera check
     * (lib/MySQL_Monitor.cpp) reads {@code @@wsrep_*} / {@code @@read_only} and, on MariaDB, {@code
     * INFORMATION_SCHEMA.GLOBAL_STATUS}, none of which needs a privilege; on MySQL 5.7/8 (Percona XtraDB Cluster) it
     * reads {@code performance_schema} instead. It never asks for replication status there (no replication
     * hostgroups, {@code max_replication_lag} 0), so REPLICATION CLIENT is not given (GaleraMonitorQueryIT runs the
     * check's query as this user on every node of a real cluster).
     */
    public static List<MonitorGrant> forMode(BackendMode mode) {
        if (mode == BackendMode.GALERA) {
            return List.of(PERFORMANCE_SCHEMA);
        }
        List<MonitorGrant> grants = new ArrayList<>(List.of(REPLICATION_CLIENT, SLAVE_MONITOR));
        if (mode == BackendMode.GROUP_REPLICATION) {
            grants.add(SYS);
            grants.add(PERFORMANCE_SCHEMA);
        }
        return List.copyOf(grants);
    }

    @Override
    public String toString() {
        return privileges + " ON " + on;
    }
}
