package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.InitSecretFragments.Fragments;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the complete {@code proxysql.cnf} (libconfig syntax) that ProxySQL reads with
 * {@code proxysql -c /etc/custom-config/proxysql.cnf} on its first start.
 *
 * <p>The output is deterministic: the same input always gives byte-identical text, whatever the
 * iteration order of the maps passed in, so the provisioner can compare it with the stored Secret.
 * User errors never throw; they come back as {@link ConfigError}s naming the offending field.
 *
 * <h2>Sections, in output order</h2>
 * {@code datadir}, {@code admin_variables}, {@code mysql_variables}, {@code mysql_servers}, the
 * hostgroup table for the backend mode, {@code proxysql_servers} (only with more than one ProxySQL),
 * {@code mysql_users} (only Secret users with a password), {@code mysql_query_rules} (if any).
 *
 * <h2>Protected variables are rejected, not ignored</h2>
 * {@code admin-admin_credentials}, {@code admin-mysql_ifaces}, {@code admin-cluster_username},
 * {@code admin-cluster_password}, {@code mysql-interfaces}, {@code mysql-monitor_username},
 * {@code mysql-monitor_password} and every {@code mysql-ssl_p2s_*} are derived by the operator. Setting
 * one (inline or in the Secret, in any letter case) is an error naming the key, so the provisioner can
 * show it in a condition; silently ignoring it would leave the user believing it took effect.
 * A name written with its {@code mysql-}/{@code admin-} prefix is an error too, because ProxySQL would
 * prepend the prefix again.
 *
 * <h2>Users: no invented passwords</h2>
 * Inline {@code mysqlUsers} carry no password (KubeDB syncs it from the backend). ProxySQL needs the
 * real password to authenticate a user, so these are never written; they are returned in
 * {@link ProxySqlCnfResult#deferredUsers()} ("deferred: password is synced from the backend at runtime")
 * for the provisioner to add through the admin interface. Users from {@code MySQLUsers.cnf} that do
 * carry a password were written by the user and are rendered; those without one are deferred.
 *
 * <h2>Init Secret fragments are merged, not pasted</h2>
 * KubeDB documents the fragments as "patched verbatim" into proxysql.cnf, but libconfig rejects a
 * second {@code mysql_variables} group, so literal pasting next to the generated sections cannot
 * work. Instead each fragment is parsed with the strict {@link
 * dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser} (a syntax error is reported with
 * line and column), may define only its own section, and is merged entry by entry:
 * <ul>
 *   <li>variables: operator defaults, then the Secret's values, then inline values (later wins; protected
 *       names are rejected from both);</li>
 *   <li>query rules: keyed by {@code rule_id}, inline replaces Secret;</li>
 *   <li>users: keyed by username, inline replaces Secret (and is then deferred).</li>
 * </ul>
 * This follows KubeDB's rule that inline takes precedence over the Secret, per entry rather than per
 * Secret, so nothing the user wrote is dropped without a warning. Values are re-rendered with their
 * libconfig types (comments in fragments are not kept).
 *
 * <h2>Value types</h2>
 * Variables: booleans as {@code true/false}, integers that fit 32 bits unquoted, every other number as
 * a string (ProxySQL cannot read 64-bit or float settings), strings quoted. Table columns are written
 * with the type ProxySQL's reader demands (integers unquoted, text quoted), converting booleans and
 * numeric strings in integer columns. Strings are escaped for libconfig ({@code \" \\ \n \t ...}).
 * Characters ProxySQL itself cannot load are rejected, see {@link ProxySqlText}.
 */
public final class ProxySqlCnfRenderer {

    public static final String DATADIR = "/var/lib/proxysql";

    static final List<String> HEADER = List.of(
            "proxysql.cnf rendered by the ProxySQL operator.",
            "ProxySQL reads it only when " + DATADIR + "/proxysql.db does not exist yet;",
            "later changes are applied through the admin interface (port 6032).");

    private ProxySqlCnfRenderer() {
    }

    public static ProxySqlCnfResult render(ProxySqlConfigInput input) {
        Problems problems = new Problems();
        InlineInitConfig inline = input.inline();
        Fragments fragments = InitSecretFragments.parse(input.initSecret(), problems);

        List<Setting> sections = new ArrayList<>();
        sections.add(new Setting("datadir", new Str(DATADIR)));

        if (CredentialChecks.clusterAdminIsUsable(input.clusterAdmin(), problems)) {
            VariableSection admin = AdminVariableDefaults.create(input.clusterAdmin(), input.metricsEndpoint());
            admin.applyUserValues(fragments.adminVariables(), fragments.adminVariablesPath(), problems);
            admin.applyUserValues(inline.adminVariables(), FieldPaths.INLINE_ADMIN_VARIABLES, problems);
            sections.add(admin.toSetting());
        }

        if (input.backend() == null) {
            problems.error(FieldPaths.BACKEND, "is required");
        }
        if (CredentialChecks.monitorIsUsable(input.monitor(), problems) && input.backend() != null) {
            VariableSection mysql = MySqlVariableDefaults.create(input.monitor(), input.backend(), input.frontendTls());
            mysql.applyUserValues(fragments.mysqlVariables(), fragments.mysqlVariablesPath(), problems);
            mysql.applyUserValues(inline.mysqlVariables(), FieldPaths.INLINE_MYSQL_VARIABLES, problems);
            sections.add(mysql.toSetting());
        }
        if (input.backend() != null) {
            sections.addAll(BackendTables.render(input.backend(), problems));
        }

        ProxySqlServersTable.render(input.proxySqlPeers(), problems).ifPresent(sections::add);

        MySqlUsersSection.Outcome users = MySqlUsersSection.render(fragments.mysqlUsers(), inline.mysqlUsers(), problems);
        users.setting().ifPresent(sections::add);

        QueryRules.render(fragments.mysqlQueryRules(), inlineRules(inline), problems).ifPresent(sections::add);

        Optional<String> cnf = problems.hasErrors()
                ? Optional.empty()
                : Optional.of(LibconfigWriter.write(HEADER, new Group(sections)));
        return new ProxySqlCnfResult(cnf, problems.errors(), problems.warnings(), users.deferred());
    }

    private static List<DeclaredRow> inlineRules(InlineInitConfig inline) {
        List<DeclaredRow> rows = new ArrayList<>();
        for (int i = 0; i < inline.mysqlQueryRules().size(); i++) {
            Map<String, Object> cells = inline.mysqlQueryRules().get(i);
            rows.add(new DeclaredRow(cells == null ? Map.of() : cells,
                    FieldPaths.index(FieldPaths.INLINE_MYSQL_QUERY_RULES, i)));
        }
        return rows;
    }
}
