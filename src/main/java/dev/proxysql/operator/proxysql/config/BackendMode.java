package dev.proxysql.operator.proxysql.config;

/**
 * How ProxySQL tracks which backend server may take writes; detected by the provisioner from the
 * backend's AppBinding (KubeDB removed the explicit {@code spec.mode} field in 2023).
 */
public enum BackendMode {
    /** MySQL Group Replication: rendered as a {@code mysql_group_replication_hostgroups} row. */
    GROUP_REPLICATION,
    /** MariaDB or Percona XtraDB Cluster: rendered as a {@code mysql_galera_hostgroups} row. */
    GALERA,
    /** A single server (or anything ProxySQL should not monitor for roles): no hostgroup table, writer hostgroup only. */
    STANDALONE
}
