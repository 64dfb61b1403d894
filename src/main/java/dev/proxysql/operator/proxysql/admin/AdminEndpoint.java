package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a ProxySQL admin interface listens, e.g. {@code mysql-proxy-0.mysql-proxy-pods.demo.svc:6032}.
 *
 * <p>The host is checked against a conservative character set because it becomes part of a JDBC URL:
 * a host containing {@code /}, {@code ?}, {@code ,} or {@code @} would change what the driver connects
 * to or which options it applies.
 *
 * @param host a DNS name, IPv4 address or IPv6 address (without brackets)
 * @param port TCP port, 1..65535; ProxySQL's admin default is {@link #DEFAULT_PORT}
 */
public record AdminEndpoint(String host, int port) {

    /** ProxySQL's default {@code admin-mysql_ifaces} port, also what KubeDB uses. */
    public static final int DEFAULT_PORT = 6032;

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");

    public AdminEndpoint {
        Objects.requireNonNull(host, "host");
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid admin host '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("admin port must be 1..65535, was " + port);
        }
    }

    /** The endpoint on ProxySQL's default admin port. */
    public static AdminEndpoint of(String host) {
        return new AdminEndpoint(host, DEFAULT_PORT);
    }

    /** The host as it must appear in a URL: IPv6 literals need brackets. */
    String urlHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return urlHost() + ":" + port;
    }
}
