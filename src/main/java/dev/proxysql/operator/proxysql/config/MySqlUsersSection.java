package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mysql_users}: only users whose password the user wrote into the init Secret are rendered.
 *
 * <p>Inline users ({@code spec.configuration.init.inline.mysqlUsers}) have no password field: KubeDB
 * copies it from the backend. ProxySQL cannot authenticate a user without the right password, and an
 * invented one would lock the user out, so such users are never rendered; they are returned as
 * {@link DeferredUser}s for the provisioner to add once it has read the password from the backend.
 * The same applies to a Secret user without a password. An inline user replaces a Secret user of the
 * same name (inline takes precedence), which therefore becomes deferred too.
 */
final class MySqlUsersSection {

    record Outcome(Optional<Setting> setting, List<DeferredUser> deferred) {
    }

    private MySqlUsersSection() {
    }

    static Outcome render(List<DeclaredRow> fromSecret, List<MySqlUser> inline, Problems problems) {
        Map<String, String> inlineNames = inlineUsernames(inline, problems);
        List<Group> rendered = new ArrayList<>();
        List<DeferredUser> deferred = new ArrayList<>();
        Map<String, String> secretNames = new LinkedHashMap<>();
        for (DeclaredRow declared : fromSecret) {
            Optional<TableRow> row = TableRow.from(TableSchema.MYSQL_USERS, declared.cells(), declared.path(), problems);
            if (row.isEmpty()) {
                continue;
            }
            Optional<String> username = row.get().stringValue("username").filter(u -> !u.isBlank());
            if (username.isEmpty()) {
                problems.error(FieldPaths.child(declared.path(), "username"), "is required");
                continue;
            }
            String previous = secretNames.put(username.get(), declared.path());
            if (previous != null) {
                problems.error(FieldPaths.child(declared.path(), "username"),
                        "user '" + username.get() + "' is already defined at " + previous);
                continue;
            }
            String inlinePath = inlineNames.get(username.get());
            if (inlinePath != null) {
                problems.warn(declared.path(), "replaced by the inline user at " + inlinePath);
            } else if (row.get().stringValue("password").filter(p -> !p.isEmpty()).isEmpty()) {
                deferred.add(new DeferredUser(username.get(), declared.path(), DeferredUser.PASSWORD_FROM_BACKEND,
                        row.get().declaredColumns()));
            } else {
                if (row.get().intValue("default_hostgroup").isEmpty()) {
                    problems.warn(declared.path(), "has no default_hostgroup; ProxySQL then uses hostgroup 0, which has"
                            + " no servers (the writer hostgroup is " + BackendTables.WRITER_HOSTGROUP + ")");
                }
                rendered.add(row.get().toGroup());
            }
        }
        for (MySqlUser user : inline) {
            String path = user == null ? null : inlineNames.get(user.username());
            if (path != null && !deferred.stream().anyMatch(d -> d.path().equals(path))) {
                deferred.add(new DeferredUser(user.username(), path, DeferredUser.PASSWORD_FROM_BACKEND, DeferredUser.columnsOf(user)));
            }
        }
        Optional<Setting> setting = rendered.isEmpty() ? Optional.empty()
                : Optional.of(new Setting(TableSchema.MYSQL_USERS.tableName(), new ListValue(List.copyOf(rendered))));
        return new Outcome(setting, deferred);
    }

    /** Username to path, in declaration order; reports missing and repeated names. */
    private static Map<String, String> inlineUsernames(List<MySqlUser> inline, Problems problems) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < inline.size(); i++) {
            String path = FieldPaths.index(FieldPaths.INLINE_MYSQL_USERS, i);
            MySqlUser user = inline.get(i);
            if (user == null || user.username() == null || user.username().isBlank()) {
                problems.error(FieldPaths.child(path, "username"), "is required");
                continue;
            }
            String previous = names.putIfAbsent(user.username(), path);
            if (previous != null) {
                problems.error(FieldPaths.child(path, "username"),
                        "user '" + user.username() + "' is already defined at " + previous);
            }
        }
        return names;
    }
}
