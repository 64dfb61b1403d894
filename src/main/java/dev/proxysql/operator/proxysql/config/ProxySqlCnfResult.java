package dev.proxysql.operator.proxysql.config;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of rendering: either the complete {@code proxysql.cnf} text, or the errors that prevent it.
 * Warnings and deferred users are reported in both cases.
 */
public record ProxySqlCnfResult(
        Optional<String> cnf,
        List<ConfigError> errors,
        List<ConfigWarning> warnings,
        List<DeferredUser> deferredUsers) {

    public ProxySqlCnfResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        deferredUsers = List.copyOf(deferredUsers);
        if (cnf.isPresent() == !errors.isEmpty()) {
            throw new IllegalArgumentException("a result has either the cnf text or errors");
        }
    }

    public boolean isValid() {
        return cnf.isPresent();
    }

    /** The rendered text; only call after checking {@link #isValid()}. */
    public String cnfOrThrow() {
        return cnf.orElseThrow(() -> new IllegalStateException("proxysql.cnf not rendered: " + errors));
    }

    /** All errors in one line each, e.g. for a status condition message. */
    public String errorSummary() {
        return String.join("; ", errors.stream().map(ConfigError::toString).toList());
    }
}
