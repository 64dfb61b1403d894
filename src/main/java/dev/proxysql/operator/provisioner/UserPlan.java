package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.proxysql.admin.MySqlUserRow;
import dev.proxysql.operator.proxysql.admin.MySqlUsersTable;
import dev.proxysql.operator.proxysql.backend.BackendAccount;
import dev.proxysql.operator.proxysql.config.BackendTables;
import dev.proxysql.operator.proxysql.config.DeferredUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code mysql_users} rows every ProxySQL node must have, decided from the declared users, the backend's
 * accounts and {@code syncUsers} (pure: no I/O).
 *
 * <ul>
 *   <li>A declared user gets the backend's hash and its declared columns ({@code default_hostgroup} defaults to the
 *       writer hostgroup). A declared user the backend does not have, whose password ProxySQL cannot use, or whose
 *       name is ProxySQL's admin or cluster user, is a {@link Problem} naming where it was declared.</li>
 *   <li>With {@code syncUsers}, every other backend account that is an application user is added, marked with
 *       {@link #SYNC_COMMENT} so that a later sync may remove it when it leaves the backend. Never synced: system
 *       accounts ({@link #SYSTEM_USERS}), the AppBinding's own user, any ProxySQL's monitor user ({@code proxysql},
 *       {@code proxysql_} and 8 hex digits), roles, replication accounts, locked accounts, accounts without a password
 *       or with a plugin ProxySQL cannot check, and accounts only for localhost (ProxySQL connects from its pod). A
 *       backend user named like ProxySQL's admin or cluster user is a {@link Problem}: in ProxySQL such a user locks
 *       the admin out.</li>
 * </ul>
 * A user with several host entries is taken from {@code %} if it has one, otherwise from its first non-local host.
 */
final class UserPlan {
    /** The comment of rows the sync added; only those are ever removed by it. */
    static final String SYNC_COMMENT = "synced from the backend by the proxysql operator (syncUsers)";
    static final Set<String> SYSTEM_USERS = Set.of("root", "mysql", "mariadb.sys", "mysql.sys", "mysql.session",
            "mysql.infoschema", "PUBLIC", "healthchecker");
    private static final Pattern MONITOR_USER = Pattern.compile("proxysql(_[0-9a-f]{8})?");
    static final String NOT_FOUND = "UserNotFoundOnBackend";
    static final String COLLISION = "UserNameCollision";
    static final String UNUSABLE = "UserPasswordUnusable";

    /** A user that is not in ProxySQL, and why. */
    record Problem(String reason, String username, String message) {
    }

    /** The rows to write, and the users that will not be written. */
    record Plan(List<MySqlUserRow> rows, List<String> declared, List<String> synced, List<Problem> problems) {
    }

    /**
     * @param reserved  ProxySQL's admin users by name, to what they are (e.g. "admin" → "ProxySQL's local admin user")
     * @param excluded  further users never synced (the AppBinding's login, the monitor user)
     * @param cachingSha2Supported the ProxySQL version verifies caching_sha2_password hashes (2.6 and later)
     */
    static Plan of(List<DeferredUser> declared, boolean syncUsers, List<BackendAccount> accounts, String backend,
                   Map<String, String> reserved, Set<String> excluded, boolean cachingSha2Supported) {
        Map<String, BackendAccount> byUser = pick(accounts);
        List<MySqlUserRow> rows = new ArrayList<>();
        List<String> declaredNames = new ArrayList<>();
        List<String> synced = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> declaredSet = new LinkedHashSet<>();
        for (DeferredUser user : declared) {
            declaredSet.add(user.username());
            String at = user.path() + ": user '" + user.username() + "'";
            if (reserved.containsKey(user.username())) {
                problems.add(new Problem(COLLISION, user.username(), at + " has the name of " + reserved.get(user.username())
                        + "; not added, as a mysql_users entry of that name locks the admin out"));
                continue;
            }
            BackendAccount account = byUser.get(user.username());
            if (account == null) {
                problems.add(new Problem(NOT_FOUND, user.username(), at + " does not exist on backend " + backend
                        + "; not added (create it on the backend, it is added within " + UserSync.INTERVAL.toSeconds() + " s)"));
                continue;
            }
            Optional<String> why = unusable(account, cachingSha2Supported);
            if (why.isPresent()) {
                problems.add(new Problem(UNUSABLE, user.username(), at + " is not added: on backend " + backend + " " + why.get()));
                continue;
            }
            Map<String, Object> columns = new LinkedHashMap<>();
            columns.put("default_hostgroup", BackendTables.WRITER_HOSTGROUP);
            columns.putAll(user.columns());
            if (addChecked(rows, new MySqlUserRow(user.username(), account.proxySqlPasswordHex().orElseThrow(), columns), at, problems)) {
                declaredNames.add(user.username());
            }
        }
        if (syncUsers) {
            for (BackendAccount account : byUser.values()) {
                String name = account.user();
                if (declaredSet.contains(name) || !application(account, excluded)) {
                    continue;
                }
                String at = "backend user '" + name + "'";
                if (reserved.containsKey(name)) {
                    problems.add(new Problem(COLLISION, name, at + " has the name of " + reserved.get(name)
                            + "; not synced, as a mysql_users entry of that name locks the admin out (rename the backend user)"));
                    continue;
                }
                if (unusable(account, cachingSha2Supported).isEmpty()
                        && addChecked(rows, new MySqlUserRow(name, account.proxySqlPasswordHex().orElseThrow(),
                        Map.of("default_hostgroup", BackendTables.WRITER_HOSTGROUP, "comment", SYNC_COMMENT)), at, problems)) {
                    synced.add(name);
                }
            }
        }
        return new Plan(List.copyOf(rows), List.copyOf(declaredNames), List.copyOf(synced), List.copyOf(problems));
    }

    private static boolean addChecked(List<MySqlUserRow> rows, MySqlUserRow row, String at, List<Problem> problems) {
        String refused = MySqlUsersTable.refusal(row);
        if (refused != null) {
            problems.add(new Problem(UNUSABLE, row.username(), at + " is not added: " + refused));
            return false;
        }
        rows.add(row);
        return true;
    }

    /** An application user: not a system, monitor, replication, role, locked or local-only account. */
    private static boolean application(BackendAccount a, Set<String> excluded) {
        return !SYSTEM_USERS.contains(a.user()) && !excluded.contains(a.user()) && !MONITOR_USER.matcher(a.user()).matches()
                && !a.user().isEmpty() && !a.role() && !a.replication() && !a.locked() && !a.localOnly()
                && a.proxySqlPasswordHex().isPresent();
    }

    private static Optional<String> unusable(BackendAccount a, boolean cachingSha2Supported) {
        if (a.proxySqlPasswordHex().isEmpty()) {
            return Optional.of(a.unusableBecause());
        }
        if (a.cachingSha2() && !cachingSha2Supported) {
            return Optional.of("it uses caching_sha2_password, whose hashes ProxySQL verifies only from 2.6 on");
        }
        return Optional.empty();
    }

    /** One account per user: {@code %} first, else the first non-local host, else the first. */
    private static Map<String, BackendAccount> pick(List<BackendAccount> accounts) {
        Map<String, BackendAccount> byUser = new LinkedHashMap<>();
        for (BackendAccount a : accounts) {
            BackendAccount kept = byUser.get(a.user());
            if (kept == null || (!kept.host().equals("%") && (a.host().equals("%") || (kept.localOnly() && !a.localOnly())))) {
                byUser.put(a.user(), a);
            }
        }
        return byUser;
    }
}
