package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EventRecorder;
import dev.proxysql.operator.provisioner.status.ConditionTypes;
import dev.proxysql.operator.provisioner.status.Observation.Check;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.AdminResult;
import dev.proxysql.operator.proxysql.admin.AdminTimeouts;
import dev.proxysql.operator.proxysql.admin.MySqlUserRow;
import dev.proxysql.operator.proxysql.admin.MySqlUsersTable;
import dev.proxysql.operator.proxysql.backend.BackendUsersResult;
import dev.proxysql.operator.proxysql.config.AdminVariableDefaults;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.DeferredUser;
import dev.proxysql.operator.topology.ProxySQLNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the ProxySQL's users into every ready pod's {@code mysql_users}: the users its configuration declares without a
 * password ({@code configuration.init.inline.mysqlUsers}, the deprecated {@code initConfig}, {@code MySQLUsers.cnf}
 * entries without a password), and with {@code syncUsers: true} the backend's application users (see
 * {@link UserPlan}); the password hashes come from the backend's {@code mysql.user}, read with the AppBinding's
 * credentials.
 *
 * <p>Why the provisioner and not {@code proxysql.cnf}: the hashes are the backend's, they change there, and ProxySQL
 * reads the file only when its datadir is empty. So each pass reads the backend once and compares every ready pod's
 * table (one admin connection each), writing, loading and saving only what differs. Passes run on every reconcile
 * and at least every {@link #INTERVAL} (the documented bound for a backend change to reach ProxySQL), sooner
 * ({@link #POD_RETRY}) while a ready pod could not be reached, e.g. a pod whose ProxySQL is still starting. Not while
 * paused or halted (the caller does not call).
 *
 * <p>Outcome: the {@code InternalUsersSynced} condition and, when it changes, an Event per user problem; a Normal
 * Event names the users a pass added, changed or removed on a pod.
 */
final class UserSync {
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final Duration POD_RETRY = Duration.ofSeconds(5);
    static final String SYNCED = "UsersSynced";
    static final String NOT_APPLIED = "UsersNotApplied";
    /** The user of {@code admin:admin}, which may log in only locally. */
    static final String LOCAL_ADMIN_USER = AdminVariableDefaults.LOCAL_ADMIN.substring(0, AdminVariableDefaults.LOCAL_ADMIN.indexOf(':'));
    private static final Logger LOG = LoggerFactory.getLogger(UserSync.class);
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** {@code BackendUserReader#read}'s shape. */
    interface Backend {
        BackendUsersResult read(String host, int port, Credentials login);
    }

    /** Where the provisioner reaches a pod's admin interface (the pod's stable DNS name in a cluster). */
    @FunctionalInterface
    public interface PodEndpoints {
        AdminEndpoint of(ProxySQL proxysql, String pod);
    }

    /** The names of the ProxySQL's pods that are ready (only they have a ProxySQL to write to). */
    interface ReadyPods {
        List<String> of(ProxySQL proxysql);
    }

    /** What to report, and when to look again. */
    record Outcome(Check check, Duration retryAfter) {
    }

    private final Backend backend;
    private final ReadyPods readyPods;
    private final PodEndpoints endpoints;
    private final EventRecorder events;

    UserSync(Backend backend, ReadyPods readyPods, PodEndpoints endpoints, EventRecorder events) {
        this.backend = backend;
        this.readyPods = readyPods;
        this.endpoints = endpoints;
        this.events = events;
    }

    /** Whether {@code p} has users to put into ProxySQL. */
    static boolean wanted(ProxySQL p, List<DeferredUser> declared) {
        return !declared.isEmpty() || Boolean.TRUE.equals(p.getSpec().getSyncUsers());
    }

    Outcome sync(ProxySQL p, ResolvedReferences refs, List<DeferredUser> declared, Credentials monitor, String clusterPassword) {
        String host = refs.backendAddress().host();
        int port = refs.backendAddress().port();
        String address = host + ":" + port;
        Credentials login = new Credentials(ConfigInputMapper.text(refs.backendSecret(), "username"),
                ConfigInputMapper.text(refs.backendSecret(), "password"));
        BackendUsersResult accounts = backend.read(host, port, login);
        if (!accounts.read()) {
            return report(p, new Check(false, accounts.reason(), "users not synced: " + accounts.message()), List.of(), INTERVAL);
        }
        UserPlan.Plan plan = UserPlan.of(declared, Boolean.TRUE.equals(p.getSpec().getSyncUsers()), accounts.accounts(), address,
                Map.of(LOCAL_ADMIN_USER, "ProxySQL's local admin user (admin-admin_credentials)",
                        ProxySQLNames.CLUSTER_USER, "ProxySQL's cluster user (admin-admin_credentials, admin-cluster_username)"),
                Set.of(login.username(), monitor.username()), cachingSha2Supported(refs));
        AdminCredentials admin = new AdminCredentials(ProxySQLNames.CLUSTER_USER, clusterPassword);
        List<String> unreached = new ArrayList<>();
        List<String> pods = readyPods.of(p);
        for (String pod : pods) {
            Optional<AdminEndpoint> endpoint = endpoint(p, pod);
            if (endpoint.isEmpty()) {
                unreached.add("pod " + pod + ": no admin address is known for it");
                continue;
            }
            AdminResult<MySqlUsersTable.Applied> applied = new MySqlUsersTable(endpoint.get(), admin, AdminTimeouts.DEFAULT)
                    .apply(plan.rows(), UserPlan.SYNC_COMMENT);
            if (!applied.isSuccess()) {
                unreached.add("pod " + pod + ": " + applied.failure().message());
            } else if (applied.value().changed()) {
                MySqlUsersTable.Applied a = applied.value();
                String message = "pod " + pod + ": mysql_users loaded to runtime and saved to disk; added " + a.added()
                        + ", updated " + a.updated() + ", removed " + a.removed();
                LOG.info("ProxySQL {}/{}: {}", p.getMetadata().getNamespace(), p.getMetadata().getName(), message);
                events.normal(p, SYNCED, message);
            }
        }
        return report(p, check(plan, pods, unreached), plan.problems(), unreached.isEmpty() ? INTERVAL : POD_RETRY);
    }

    /** Where the pod is reached; empty if the resolver cannot say (a pod gone meanwhile), which is retried. */
    private Optional<AdminEndpoint> endpoint(ProxySQL p, String pod) {
        try {
            return Optional.of(endpoints.of(p, pod));
        } catch (RuntimeException e) {
            LOG.debug("no admin endpoint for pod {}: {}", pod, e.toString());
            return Optional.empty();
        }
    }

    private static Check check(UserPlan.Plan plan, List<String> pods, List<String> unreached) {
        String summary = plan.declared().size() + " declared " + plan.declared() + " and " + plan.synced().size()
                + " synced from the backend " + plan.synced();
        if (!unreached.isEmpty()) {
            return new Check(false, NOT_APPLIED, "mysql_users not written on " + String.join("; ", unreached)
                    + problems(plan) + " (" + summary + ")");
        }
        if (!plan.problems().isEmpty()) {
            return new Check(false, plan.problems().get(0).reason(), plan.problems().stream().map(UserPlan.Problem::message)
                    .reduce((a, b) -> a + "; " + b).orElseThrow() + " (" + summary + " are in mysql_users on " + pods.size() + " ready pods)");
        }
        return new Check(true, SYNCED, summary + " users are in mysql_users on every ready pod (" + pods.size() + ")");
    }

    private static String problems(UserPlan.Plan plan) {
        return plan.problems().isEmpty() ? "" : "; " + String.join("; ", plan.problems().stream().map(UserPlan.Problem::message).toList());
    }

    /**
     * An Event per user problem not already named by the condition's previous message, so each is told once; one when
     * the backend or a pod becomes unreachable.
     */
    private Outcome report(ProxySQL p, Check check, List<UserPlan.Problem> problems, Duration retry) {
        List<Condition> previous = p.getStatus() == null ? List.of() : p.getStatus().getConditions();
        Optional<Condition> last = Conditions.find(previous, ConditionTypes.INTERNAL_USERS_SYNCED);
        String before = last.map(Condition::getMessage).orElse("");
        for (UserPlan.Problem problem : problems) {
            if (!before.contains(problem.message())) {
                events.warning(p, problem.reason(), problem.message());
            }
        }
        // A pod or the backend not reached: told when it starts, not again for every pass with another error text.
        if (problems.isEmpty() && !check.ok() && !last.map(Condition::getReason).orElse("").equals(check.reason())) {
            events.warning(p, check.reason(), check.message());
        }
        return new Outcome(check, retry);
    }

    /** ProxySQL verifies caching_sha2_password hashes from 2.6 on; the catalog's version says which one runs. */
    private static boolean cachingSha2Supported(ResolvedReferences refs) {
        String version = refs.version().getSpec() == null ? null : refs.version().getSpec().getVersion();
        Matcher m = VERSION.matcher(version == null ? "" : version);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        return major > 2 || (major == 2 && Integer.parseInt(m.group(2)) >= 6);
    }
}
