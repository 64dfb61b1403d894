package dev.proxysql.operator.opsmanager.rolling;

import java.util.Optional;

/** The values of {@code PodProgress.state}. */
public enum PodState {
    /** Not touched yet. */
    PENDING("Pending"),
    /** {@code evictedUid} is recorded; the eviction was requested or is about to be. */
    EVICTING("Evicting"),
    /** The replacement is Ready on the target; the ProxySQL-level check runs. */
    VERIFYING("Verifying"),
    /** Replaced and checked, or found already on the target. */
    DONE("Done");

    private final String value;

    PodState(String value) {
        this.value = value;
    }

    /** The string persisted in the status. */
    public String value() {
        return value;
    }

    /** A missing state is Pending (nothing was recorded yet); an unknown one is empty. */
    public static Optional<PodState> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(PENDING);
        }
        for (PodState s : values()) {
            if (s.value.equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
