package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;

import java.util.ArrayList;
import java.util.List;

/**
 * What ProxySQL's config reader sees in a parsed document, in the line format of
 * {@code proxysql_cnf_dump.cpp}: variables are read as bool, int or string, table columns as int or
 * string; anything else is UNREADABLE (ProxySQL would silently drop it).
 */
final class ProxySqlView {

    private ProxySqlView() {
    }

    static List<String> dump(Group root) {
        List<String> lines = new ArrayList<>();
        for (Setting top : root.settings()) {
            if (top.value() instanceof Group group) {
                group.settings().forEach(v -> lines.add(top.name() + "." + v.name() + "=" + variable(v.value())));
            } else if (top.value() instanceof ListValue list) {
                for (int r = 0; r < list.elements().size(); r++) {
                    if (list.elements().get(r) instanceof Group row) {
                        for (Setting column : row.settings()) {
                            lines.add(top.name() + "[" + r + "]." + column.name() + "=" + column(column.value()));
                        }
                    } else {
                        lines.add(top.name() + "[" + r + "]=UNREADABLE");
                    }
                }
            } else {
                lines.add(top.name() + "=" + (top.value() instanceof Str s ? "str:" + escape(s.value()) : "UNREADABLE"));
            }
        }
        return lines;
    }

    private static String variable(LibconfigValue value) {
        if (value instanceof Bool b) {
            return "bool:" + b.value();
        }
        return column(value);
    }

    private static String column(LibconfigValue value) {
        if (value instanceof Int i) {
            return "int:" + i.value();
        }
        if (value instanceof Str s) {
            return "str:" + escape(s.value());
        }
        return "UNREADABLE";
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }
}
