package dev.proxysql.operator.opsmanager.queue;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request's place in its ProxySQL's queue: the annotation {@value #ANNOTATION}, an RFC 3339 UTC timestamp with
 * exactly nine fractional digits, which the mutating admission webhook sets on CREATE (docs/ops-manager.md, "Queue
 * order"). It exists because {@code creationTimestamp} has whole seconds only: two requests created within one second
 * could not be told apart by it.
 */
public final class QueueStamp {
    public static final String ANNOTATION = "proxysql.dev/queued-at";
    /** The only accepted shape (deploy/policies/queued-at.yaml checks the same); fixed width, so stamps also sort as strings. */
    public static final String SHAPE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{9}Z$";
    private static final Pattern SHAPE_PATTERN = Pattern.compile(SHAPE);
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private QueueStamp() {
    }

    public static String format(Instant t) {
        return FORMAT.format(t);
    }

    /** The request's stamp; empty when it has none or one of another shape (then the queue falls back, see OpsQueue). */
    public static Optional<Instant> of(ProxySQLOpsRequest r) {
        Map<String, String> annotations = r.getMetadata() == null ? null : r.getMetadata().getAnnotations();
        return annotations == null ? Optional.empty() : parse(annotations.get(ANNOTATION));
    }

    public static Optional<Instant> parse(String value) {
        if (value == null || !SHAPE_PATTERN.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (RuntimeException e) {
            return Optional.empty(); // the right shape but no such date, e.g. month 13
        }
    }

    /**
     * Hands out strictly increasing stamps: the wall clock, or one nanosecond after the previous stamp when the clock
     * has not moved on (its resolution is coarser than a nanosecond) or went back (NTP). This is the tie-breaker within
     * one process; between replicas, order is as good as their clocks agree.
     */
    public static final class Source {
        private static final Source SYSTEM = new Source(Clock.systemUTC());
        private final Clock clock;
        private Instant last = Instant.EPOCH;

        public Source(Clock clock) {
            this.clock = clock;
        }

        /** One source per process, shared by every webhook server in it. */
        public static Source system() {
            return SYSTEM;
        }

        public synchronized Instant next() {
            Instant now = clock.instant();
            last = now.isAfter(last) ? now : last.plusNanos(1);
            return last;
        }
    }
}
