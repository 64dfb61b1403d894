package dev.proxysql.operator.proxysql.config.libconfig;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A value in a libconfig document, the file format ProxySQL reads its {@code proxysql.cnf} with.
 *
 * <p>The variants mirror libconfig's own types because ProxySQL's reader is type-strict: it asks
 * libconfig for an {@code int} or a {@code std::string} and silently skips a setting whose stored type
 * differs (for example {@code active="1"} in a {@code mysql_servers} row is ignored). Keeping the types
 * explicit lets the renderer decide them deliberately instead of by accident of formatting.
 */
public sealed interface LibconfigValue {

    /** True for the scalar variants, the only ones allowed inside an {@link Array}. */
    default boolean isScalar() {
        return !(this instanceof Group || this instanceof ListValue || this instanceof Array);
    }

    /** A string; written double-quoted and escaped. */
    record Str(String value) implements LibconfigValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A 32-bit integer, the only integer type ProxySQL reads. */
    record Int(int value) implements LibconfigValue {
    }

    /** A 64-bit integer (written with the {@code L} suffix). ProxySQL's reader cannot read these. */
    record Int64(long value) implements LibconfigValue {
    }

    /** A floating point number. ProxySQL's reader cannot read these either. */
    record Float(double value) implements LibconfigValue {
    }

    /** A boolean, written {@code true}/{@code false}. */
    record Bool(boolean value) implements LibconfigValue {
    }

    /** A named setting inside a {@link Group} (or at the top level of a document). */
    record Setting(String name, LibconfigValue value) {
        public Setting {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code { name=value ... }}: ordered settings with unique names. The document root is a group too. */
    record Group(List<Setting> settings) implements LibconfigValue {
        public Group {
            settings = List.copyOf(settings);
        }

        public Optional<LibconfigValue> get(String name) {
            return settings.stream().filter(s -> s.name().equals(name)).map(Setting::value).findFirst();
        }
    }

    /** {@code ( value, ... )}: an ordered list whose elements may be of any type (ProxySQL uses lists of groups). */
    record ListValue(List<LibconfigValue> elements) implements LibconfigValue {
        public ListValue {
            elements = List.copyOf(elements);
        }
    }

    /** {@code [ scalar, ... ]}: scalars that all have the same type. */
    record Array(List<LibconfigValue> elements) implements LibconfigValue {
        public Array {
            elements = List.copyOf(elements);
        }
    }
}
