package dev.proxysql.operator.proxysql.config.libconfig;

import java.util.regex.Pattern;

/**
 * Which setting names can be written to, and read back from, a libconfig file.
 *
 * <p>libconfig 1.7's grammar allows {@code [A-Za-z*][-A-Za-z0-9_*]*}, but libconfig 1.5 (Debian's
 * build) rejects a leading {@code *}, and no ProxySQL setting contains {@code *} at all. We therefore
 * accept only the portable subset {@code [A-Za-z][-A-Za-z0-9_]*}: anything else is almost certainly a
 * typo, and would make the file unreadable for at least one libconfig version.
 */
public final class LibconfigNames {

    private static final Pattern PORTABLE_NAME = Pattern.compile("[A-Za-z][-A-Za-z0-9_]*");

    private LibconfigNames() {
    }

    public static boolean isValid(String name) {
        return name != null && PORTABLE_NAME.matcher(name).matches();
    }

    /** The rule in words, for error messages. */
    public static String rule() {
        return "a setting name must start with a letter and contain only letters, digits, '-' and '_'";
    }
}
