package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParseResult;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a rendered file back through the strict parser, for typed assertions on its values. */
record CnfLookup(Group root) {

    static CnfLookup parse(String cnf) {
        LibconfigParseResult result = LibconfigParser.parse(cnf);
        assertThat(result.error()).as("rendered text must parse").isEmpty();
        return new CnfLookup(result.rootOrThrow());
    }

    /** A dotted path such as {@code mysql_variables.threads}. */
    LibconfigValue get(String dottedPath) {
        LibconfigValue current = root;
        for (String name : dottedPath.split("\\.")) {
            assertThat(current).as(dottedPath).isInstanceOf(Group.class);
            current = ((Group) current).get(name).orElseThrow(() -> new AssertionError("missing " + dottedPath));
        }
        return current;
    }

    boolean has(String topLevelName) {
        return root.get(topLevelName).isPresent();
    }

    List<Group> rows(String table) {
        LibconfigValue value = get(table);
        assertThat(value).as(table).isInstanceOf(ListValue.class);
        return ((ListValue) value).elements().stream().map(Group.class::cast).toList();
    }

    static LibconfigValue.Str str(String s) {
        return new LibconfigValue.Str(s);
    }

    static LibconfigValue.Int integer(int i) {
        return new LibconfigValue.Int(i);
    }

    static LibconfigValue.Bool bool(boolean b) {
        return new LibconfigValue.Bool(b);
    }
}
