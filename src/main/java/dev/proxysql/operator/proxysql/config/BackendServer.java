package dev.proxysql.operator.proxysql.config;

/**
 * One backend MySQL/MariaDB server, e.g. the pod DNS name {@code <db>-0.<db>-pods.<ns>.svc:3306}
 * or, for an external AppBinding, its service address.
 */
public record BackendServer(String host, int port, boolean useSsl) {
}
