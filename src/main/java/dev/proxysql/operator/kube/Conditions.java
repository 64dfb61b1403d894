package dev.proxysql.operator.kube;

import dev.proxysql.operator.api.common.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reading and setting conditions with Kubernetes' rule: lastTransitionTime moves only when status changes. */
public final class Conditions {
    /** What ends a message or reason cut to the API's bound ({@link #cut}). */
    public static final String CUT = "... (cut to fit the API's limit)";

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(Condition::isTrue).orElse(false);
    }

    /**
     * A condition with the given values, keeping {@code previous}'s lastTransitionTime when the status is unchanged,
     * so that re-computing the same condition produces an identical object (and no status write).
     */
    public static Condition next(Optional<Condition> previous, String type, boolean status, String reason, String message,
                                 long generation, Clock clock) {
        String statusText = status ? Condition.TRUE : Condition.FALSE;
        // Within the API's lengths, or the whole status write would be refused (422).
        Condition c = new Condition(type, statusText, cut(reason, Condition.MAX_REASON), cut(message, Condition.MAX_MESSAGE));
        c.setObservedGeneration(generation);
        c.setLastTransitionTime(previous.filter(p -> statusText.equals(p.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElseGet(() -> now(clock)));
        if (!status) {
            c.setSeverity("Warning");
        }
        return c;
    }

    /** Replaces the condition of the same type in {@code conditions}, or appends it. */
    public static List<Condition> upsert(List<Condition> conditions, Condition condition) {
        List<Condition> result = new ArrayList<>(conditions == null ? List.of() : conditions);
        result.removeIf(c -> Objects.equals(c.getType(), condition.getType()));
        result.add(condition);
        return result;
    }

    public static String now(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code text} itself if it has at most {@code max} characters, else its start and {@link #CUT}, {@code max} in all. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int keep = max - CUT.length();
        // Never split a surrogate pair: half a character is not valid UTF-8 on the wire.
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return text.substring(0, keep) + CUT;
    }
}
