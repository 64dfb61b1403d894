package dev.proxysql.operator.opsmanager.rolling;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** RFC 3339 timestamps as persisted in the status, and durations written the way spec.timeout is (Go syntax). */
public final class Times {
    private Times() {
    }

    /** Whole seconds, like every other Kubernetes timestamp. */
    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Empty for a missing or unreadable value: the caller then starts the clock afresh rather than failing. */
    static Optional<Instant> parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Go's time.Duration.String() at second precision: 5m0s, 1h2m3s, 45s; below a second, 250ms. */
    public static String go(Duration d) {
        if (d.isNegative()) {
            return "-" + go(d.negated());
        }
        if (d.isZero()) {
            return "0s";
        }
        if (d.getSeconds() == 0) {
            return d.toMillis() + "ms";
        }
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        if (m > 0) {
            return m + "m" + s + "s";
        }
        return s + "s";
    }
}
