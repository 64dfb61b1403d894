package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int64;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rendered {@code proxysql.cnf} means, in the words ProxySQL's admin tables use: global variables named
 * {@code admin-x} / {@code mysql-x} with text values, and table rows as column-to-text maps. Tests compare this with
 * what a real ProxySQL reports after booting the file.
 */
public record RenderedIntent(Map<String, String> variables, Map<String, List<Map<String, String>>> tables) {

    public static RenderedIntent of(String cnf) {
        Group root = LibconfigParser.parse(cnf).rootOrThrow();
        Map<String, String> variables = new LinkedHashMap<>();
        Map<String, List<Map<String, String>>> tables = new LinkedHashMap<>();
        for (Setting section : root.settings()) {
            if (section.name().endsWith("_variables") && section.value() instanceof Group g) {
                String prefix = section.name().substring(0, section.name().indexOf('_')) + "-";
                g.settings().forEach(s -> variables.put(prefix + s.name(), text(s.value())));
            } else if (section.value() instanceof ListValue list) {
                List<Map<String, String>> rows = new ArrayList<>();
                for (LibconfigValue element : list.elements()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    ((Group) element).settings().forEach(s -> row.put(s.name(), text(s.value())));
                    rows.add(row);
                }
                tables.put(section.name(), rows);
            }
        }
        return new RenderedIntent(variables, tables);
    }

    public List<Map<String, String>> table(String name) {
        return tables.getOrDefault(name, List.of());
    }

    /** Scalars as ProxySQL shows them in its tables: booleans true/false, numbers in decimal, strings as they are. */
    static String text(LibconfigValue value) {
        if (value instanceof Str s) {
            return s.value();
        }
        if (value instanceof Int i) {
            return Integer.toString(i.value());
        }
        if (value instanceof Int64 l) {
            return Long.toString(l.value());
        }
        if (value instanceof Bool b) {
            return Boolean.toString(b.value());
        }
        throw new IllegalArgumentException("not a scalar ProxySQL reads: " + value);
    }
}
