package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.TableSchema.Column;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One validated row of a ProxySQL table, with every cell converted to the column's libconfig type.
 *
 * @param path where the row was declared, for messages about the row as a whole
 */
record TableRow(TableSchema schema, Map<Column, LibconfigValue> cells, String path) {

    /**
     * Validates a row given as column name to value; returns empty (after reporting) if any cell is bad.
     * All cells are checked so every problem is reported at once.
     */
    static Optional<TableRow> from(TableSchema schema, Map<String, Object> row, String path, Problems problems) {
        int errorsBefore = problems.errorCount();
        Map<Column, LibconfigValue> cells = new TreeMap<>(Comparator.comparingInt(schema::position));
        for (Map.Entry<String, Object> cell : row.entrySet()) {
            String cellPath = FieldPaths.child(path, String.valueOf(cell.getKey()));
            Optional<Column> column = cell.getKey() == null ? Optional.empty() : schema.find(cell.getKey());
            if (column.isEmpty()) {
                problems.error(cellPath, "unknown " + schema.tableName() + " column '" + cell.getKey() + "'");
                continue;
            }
            if (cells.containsKey(column.get())) {
                problems.error(cellPath, "column '" + column.get().name() + "' is given twice (names are case-insensitive)");
                continue;
            }
            convert(column.get(), cell.getValue(), cellPath, problems).ifPresent(v -> cells.put(column.get(), v));
        }
        if (problems.errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new TableRow(schema, cells, path));
    }

    private static Optional<LibconfigValue> convert(Column column, Object value, String path, Problems problems) {
        return switch (column.type()) {
            case INT -> UserValues.integer(value, path, problems).map(LibconfigValue.Int::new);
            case STRING -> UserValues.string(value, column.forbidden(), path, problems).map(LibconfigValue.Str::new);
        };
    }

    Optional<LibconfigValue> get(String columnName) {
        return schema.find(columnName).map(cells::get);
    }

    Optional<Integer> intValue(String columnName) {
        return get(columnName).filter(LibconfigValue.Int.class::isInstance).map(v -> ((LibconfigValue.Int) v).value());
    }

    Optional<String> stringValue(String columnName) {
        return get(columnName).filter(LibconfigValue.Str.class::isInstance).map(v -> ((LibconfigValue.Str) v).value());
    }

    /** The cells other than username and password, as Integer or String values by column name. */
    Map<String, Object> declaredColumns() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        cells.forEach((column, value) -> {
            if (!column.name().equals("username") && !column.name().equals("password")) {
                out.put(column.name(), value instanceof LibconfigValue.Int i ? (Object) i.value()
                        : value instanceof LibconfigValue.Str s ? s.value() : String.valueOf(value));
            }
        });
        return out;
    }

    /** The row as a libconfig group, columns in ProxySQL's order. */
    Group toGroup() {
        List<Setting> settings = new ArrayList<>();
        cells.forEach((column, value) -> settings.add(new Setting(column.name(), value)));
        return new Group(settings);
    }
}
