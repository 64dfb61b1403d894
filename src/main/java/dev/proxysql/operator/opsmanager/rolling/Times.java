package dev.proxysql.operator.opsmanager.rolling;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** RFC 3339 timestamps as persisted in the status. */
public final class Times {
    private Times() {
    }

    /** Whole seconds, like every other Kubernetes timestamp. */
    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Empty for a missing or unreadable value: the caller then starts the clock afresh rather than failing. */
    public static Optional<Instant> parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
