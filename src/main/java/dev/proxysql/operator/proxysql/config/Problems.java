package dev.proxysql.operator.proxysql.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem instead of stopping at the first, so a user can fix them all in one round. */
final class Problems {

    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigWarning> warnings = new ArrayList<>();

    void error(String path, String reason) {
        errors.add(new ConfigError(path, reason));
    }

    void warn(String path, String message) {
        warnings.add(new ConfigWarning(path, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int errorCount() {
        return errors.size();
    }

    List<ConfigError> errors() {
        return List.copyOf(errors);
    }

    List<ConfigWarning> warnings() {
        return List.copyOf(warnings);
    }
}
