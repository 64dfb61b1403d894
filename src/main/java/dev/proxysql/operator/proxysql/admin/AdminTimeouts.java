package dev.proxysql.operator.proxysql.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one admin check may wait.
 *
 * @param connect bounds the TCP connect and, separately, each read during the MySQL handshake and login
 *                (Connector/J's {@code connectTimeout} is used for both)
 * @param query   bounds each read while waiting for a query's answer (Connector/J's {@code socketTimeout})
 */
public record AdminTimeouts(Duration connect, Duration query) {

    // Connector/J takes int milliseconds; anything longer than this is a configuration mistake here.
    // Declared before DEFAULT because static fields initialise in order and DEFAULT's constructor reads it.
    private static final Duration MAX = Duration.ofMinutes(10);

    /** Small defaults: these checks are rare and a healthy admin interface answers in milliseconds. */
    public static final AdminTimeouts DEFAULT = new AdminTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));

    public AdminTimeouts {
        requireSensible(connect, "connect");
        requireSensible(query, "query");
    }

    private static void requireSensible(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        // Below 1 ms would round to 0, which Connector/J reads as "wait forever".
        if (timeout.toMillis() < 1 || timeout.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(name + " timeout must be between 1 ms and " + MAX + ", was " + timeout);
        }
    }

    int connectMillis() {
        return Math.toIntExact(connect.toMillis());
    }

    int queryMillis() {
        return Math.toIntExact(query.toMillis());
    }
}
