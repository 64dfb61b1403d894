package dev.proxysql.operator.proxysql.config.libconfig;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Array;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Float;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int64;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;

import java.util.List;

/**
 * Writes a libconfig document in the layout ProxySQL's own sample files use: one {@code name=value}
 * per line, no terminators, 4-space indentation, top-level settings separated by a blank line.
 *
 * <p>The writer is deliberately dumb about content: callers must hand it valid names and strings
 * without NUL characters (a NUL would truncate the value in libconfig's C strings). It throws
 * {@link IllegalArgumentException} for those, because reaching it with such input is a bug in the
 * caller's validation, not a user error.
 */
public final class LibconfigWriter {

    private static final String INDENT = "    ";

    private LibconfigWriter() {
    }

    /** Writes the settings of {@code root} as a document, preceded by {@code #} comment lines. */
    public static String write(List<String> headerComments, Group root) {
        StringBuilder out = new StringBuilder();
        for (String comment : headerComments) {
            if (comment.contains("\n")) {
                throw new IllegalArgumentException("comment lines must not contain newlines: " + comment);
            }
            out.append(comment.isEmpty() ? "#" : "# " + comment).append('\n');
        }
        for (Setting setting : root.settings()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            writeSetting(out, 0, setting);
        }
        return out.toString();
    }

    private static void writeSetting(StringBuilder out, int depth, Setting setting) {
        if (!LibconfigNames.isValid(setting.name())) {
            throw new IllegalArgumentException("invalid libconfig setting name: " + setting.name());
        }
        indent(out, depth).append(setting.name()).append('=');
        if (setting.value() instanceof Group || setting.value() instanceof ListValue) {
            out.append('\n');
            writeCompound(out, depth, setting.value());
        } else {
            out.append(scalarOrArray(setting.value()));
        }
        out.append('\n');
    }

    /** Writes a group or list starting on its own line at {@code depth}, without a trailing newline. */
    private static void writeCompound(StringBuilder out, int depth, LibconfigValue value) {
        if (value instanceof Group group) {
            indent(out, depth).append("{\n");
            for (Setting setting : group.settings()) {
                writeSetting(out, depth + 1, setting);
            }
            indent(out, depth).append('}');
        } else if (value instanceof ListValue list) {
            indent(out, depth).append("(\n");
            for (int i = 0; i < list.elements().size(); i++) {
                LibconfigValue element = list.elements().get(i);
                if (element instanceof Group || element instanceof ListValue) {
                    writeCompound(out, depth + 1, element);
                } else {
                    indent(out, depth + 1).append(scalarOrArray(element));
                }
                // libconfig rejects a trailing comma in a list, so only separate elements.
                out.append(i < list.elements().size() - 1 ? ",\n" : "\n");
            }
            indent(out, depth).append(')');
        } else {
            throw new IllegalArgumentException("not a compound value: " + value);
        }
    }

    private static String scalarOrArray(LibconfigValue value) {
        if (value instanceof Array array) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < array.elements().size(); i++) {
                out.append(i == 0 ? "" : ", ").append(scalar(array.elements().get(i)));
            }
            return out.append(']').toString();
        }
        return scalar(value);
    }

    static String scalar(LibconfigValue value) {
        if (value instanceof Str str) {
            return quote(str.value());
        } else if (value instanceof Int i) {
            return Integer.toString(i.value());
        } else if (value instanceof Int64 i) {
            return i.value() + "L";
        } else if (value instanceof Bool b) {
            return b.value() ? "true" : "false";
        } else if (value instanceof Float f) {
            return floatLiteral(f.value());
        }
        throw new IllegalArgumentException("not a scalar value: " + value);
    }

    private static String floatLiteral(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("libconfig has no literal for " + value);
        }
        // Double.toString always yields a '.' (e.g. "2.0", "1.0E-5"), which libconfig needs to see a float.
        return Double.toString(value);
    }

    /** Double-quotes {@code text} using the escapes libconfig's scanner understands. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '\0' -> throw new IllegalArgumentException("libconfig strings cannot contain NUL");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static StringBuilder indent(StringBuilder out, int depth) {
        return out.append(INDENT.repeat(depth));
    }
}
