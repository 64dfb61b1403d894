package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigNames;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One {@code <prefix>_variables} group: operator defaults in a fixed order, overridden by user values.
 *
 * <p>Names are matched case-insensitively (ProxySQL's own variable names are all lower case, so
 * {@code Interfaces} must not slip past the protection of {@code interfaces}). User values replace a
 * default in place; names without a default are appended in alphabetical order, so the output does not
 * depend on the iteration order of the caller's maps.
 */
final class VariableSection {

    private record Entry(String name, LibconfigValue value, String setAt) {
    }

    private final String groupName;
    private final String proxySqlPrefix;
    private final Predicate<String> isProtected;
    private final LinkedHashMap<String, Entry> defaults = new LinkedHashMap<>();
    private final TreeMap<String, Entry> additions = new TreeMap<>();

    /**
     * @param groupName      e.g. {@code mysql_variables}
     * @param proxySqlPrefix e.g. {@code mysql}; ProxySQL prepends it with a dash to every name in the group
     * @param isProtected    tells, for a lower-case name, whether the operator owns it and users may not set it
     */
    VariableSection(String groupName, String proxySqlPrefix, Predicate<String> isProtected) {
        this.groupName = groupName;
        this.proxySqlPrefix = proxySqlPrefix;
        this.isProtected = isProtected;
    }

    String groupName() {
        return groupName;
    }

    VariableSection withDefault(String name, LibconfigValue value) {
        defaults.put(key(name), new Entry(name, value, "operator default"));
        return this;
    }

    /**
     * Applies the user's variables from one source; later sources win over earlier ones.
     *
     * @param values     name to value, as supplied
     * @param sourcePath the path of the map, e.g. {@code spec.configuration.init.inline.mysqlVariables}
     */
    void applyUserValues(Map<String, Object> values, String sourcePath, Problems problems) {
        Map<String, String> seenInThisSource = new HashMap<>();
        for (Map.Entry<String, Object> user : values.entrySet()) {
            String name = user.getKey();
            String path = FieldPaths.child(sourcePath, String.valueOf(name));
            if (!isAcceptableName(name, path, problems)) {
                continue;
            }
            String previous = seenInThisSource.put(key(name), name);
            if (previous != null) {
                problems.error(path, "duplicates '" + previous + "' (variable names are case-insensitive)");
                continue;
            }
            Optional<LibconfigValue> value = UserValues.variable(user.getValue(), path, problems);
            value.ifPresent(v -> set(name, v, path, problems));
        }
    }

    private boolean isAcceptableName(String name, String path, Problems problems) {
        if (name == null || !LibconfigNames.isValid(name)) {
            problems.error(path, "invalid variable name '" + name + "': " + LibconfigNames.rule());
            return false;
        }
        String prefix = proxySqlPrefix + "-";
        if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            problems.error(path, "write '" + name.substring(prefix.length()) + "' without the '" + prefix
                    + "' prefix; ProxySQL adds it to every name in " + groupName);
            return false;
        }
        if (isProtected.test(key(name))) {
            problems.error(path, "'" + proxySqlPrefix + "-" + name + "' is managed by the operator and cannot be set");
            return false;
        }
        return true;
    }

    private void set(String name, LibconfigValue value, String path, Problems problems) {
        String key = key(name);
        Entry existingDefault = defaults.get(key);
        if (existingDefault != null) {
            warnIfOverridingUser(existingDefault, path, problems);
            // Keep the canonical spelling of the default's name.
            defaults.put(key, new Entry(existingDefault.name(), value, path));
            return;
        }
        Entry previous = additions.get(key);
        if (previous != null) {
            warnIfOverridingUser(previous, path, problems);
        }
        additions.put(key, new Entry(name, value, path));
    }

    private static void warnIfOverridingUser(Entry previous, String path, Problems problems) {
        if (!previous.setAt().equals("operator default")) {
            problems.warn(path, "overrides the value set at " + previous.setAt());
        }
    }

    Setting toSetting() {
        List<Setting> settings = new ArrayList<>();
        defaults.values().forEach(e -> settings.add(new Setting(e.name(), e.value())));
        additions.values().forEach(e -> settings.add(new Setting(e.name(), e.value())));
        return new Setting(groupName, new Group(settings));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
