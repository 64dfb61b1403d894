package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec.RequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigureProgress;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.opsmanager.io.PodObserver;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminTimeouts;
import dev.proxysql.operator.proxysql.admin.ConfigChange;
import dev.proxysql.operator.proxysql.admin.ConfigTables;
import dev.proxysql.operator.proxysql.admin.SecretRedactor;
import dev.proxysql.operator.proxysql.backend.BackendPasswordHashes;
import dev.proxysql.operator.proxysql.config.CredentialVariables;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Talks to the pods' admin interfaces (as the {@code cluster} user of the auth Secret, where the ProxySQL-level check
 * connects) and to the backend (as the AppBinding's user) for a Reconfigure: checks the request against what they
 * know and records the previous values before anything is written ({@link #prepare}), writes and checks one pod
 * ({@link #apply}), puts the previous values back on one pod ({@link #restore}). Each call reads what it needs again:
 * nothing is kept between calls, so an operator restarted at any point goes on from the persisted progress.
 */
public final class PodReconfigurer {
    private static final AdminTimeouts TIMEOUTS = new AdminTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    private final KubernetesClient client;
    private final PreviousCredentials previousCredentials;
    private final AdminEndpoints endpoints;
    private final BackendPasswordHashes backend = new BackendPasswordHashes(Duration.ofSeconds(3), Duration.ofSeconds(10));

    public PodReconfigurer(KubernetesClient client, AdminEndpoints endpoints) {
        this.client = client;
        this.endpoints = endpoints;
        this.previousCredentials = new PreviousCredentials(client);
    }

    /** How a call went: done, worth trying again (a pod or the backend not answering), or failed for good. */
    public record Outcome(Kind kind, String message, ReconfigureProgress progress) {
        /** Done; try again later; failed (nothing more to try). */
        public enum Kind { DONE, RETRY, FAILED }

        static Outcome done(String message) {
            return new Outcome(Kind.DONE, message, null);
        }

        static Outcome retry(String message) {
            return new Outcome(Kind.RETRY, message, null);
        }

        static Outcome failed(String message) {
            return new Outcome(Kind.FAILED, message, null);
        }
    }

    /** The ProxySQL's pods in order, the ones a Reconfigure writes to. */
    public static List<String> pods(ProxySQL p) {
        return PodObserver.declared(p);
    }

    /**
     * Before the first write: asks the first pod which variables it knows and which users and rules it has, and the
     * backend for the password of each user to add or update. A request naming what neither knows fails here, naming
     * the field, with nothing written; otherwise the progress to persist: the previous values, every pod Pending.
     */
    public Outcome prepare(ProxySQL p, ProxySQLOpsRequest request, ReconfigureIntent intent) {
        List<String> pods = pods(p);
        if (pods.isEmpty()) {
            return Outcome.failed("the ProxySQL has no replicas to reconfigure");
        }
        String first = pods.get(0);
        try {
            ConfigTables tables = tables(p, first);
            List<String> problems = new ArrayList<>();
            Set<String> known = tables.knownVariables(intent.variables().keySet());
            intent.variables().keySet().stream().filter(v -> !known.contains(v)).forEach(v ->
                    problems.add(intent.field(v) + ": ProxySQL has no variable " + v + " (asked pod " + first + ")"));
            Map<String, Map<String, String>> users = tables.users(intent.users().keySet());
            if (intent.usersType() == RequestType.UPDATE) {
                intent.users().keySet().stream().filter(u -> !users.containsKey(u)).forEach(u -> problems.add(
                        ReconfigureIntent.FIELD + ".mysqlUsers.users: user " + u + " is not in ProxySQL's mysql_users (pod " + first
                                + "): use reqType add"));
            }
            Map<String, Map<String, String>> rules = tables.rules(intent.rules().keySet());
            if (intent.rulesType() == RequestType.UPDATE) {
                intent.rules().keySet().stream().filter(id -> !rules.containsKey(id)).forEach(id -> problems.add(
                        ReconfigureIntent.FIELD + ".mysqlQueryRules.rules: rule_id " + id + " is not in ProxySQL's mysql_query_rules (pod "
                                + first + "): use reqType add"));
            }
            Outcome passwords = hashes(p, ReconfigurePlan.usersNeedingPasswords(intent), new LinkedHashMap<>());
            if (passwords.kind() == Outcome.Kind.RETRY) {
                return passwords;
            }
            if (passwords.kind() == Outcome.Kind.FAILED) {
                problems.add(passwords.message());
            }
            if (!problems.isEmpty()) {
                return Outcome.failed(String.join("; ", problems));
            }
            ReconfigureProgress progress = new ReconfigureProgress();
            intent.users().keySet().forEach(u -> progress.getPreviousUsers().put(u, users.getOrDefault(u, Map.of())));
            intent.rules().keySet().forEach(id -> progress.getPreviousRules().put(id, rules.getOrDefault(id, Map.of())));
            Map<String, String> previous = tables.variables(intent.variables().keySet());
            Map<String, String> credentials = CredentialVariables.credentialsOf(previous);
            if (!credentials.isEmpty()) {
                // Kept out of the status, which shows <redacted> for them; written before the status that names them.
                try {
                    previousCredentials.keep(request, credentials);
                } catch (KubernetesClientException e) {
                    return Outcome.retry("cannot keep the previous values of " + credentials.keySet() + " in Secret "
                            + PreviousCredentials.secretName(request) + ": " + e.getMessage());
                }
            }
            progress.setPreviousVariables(CredentialVariables.redacted(previous));
            pods.forEach(pod -> progress.getPods().put(pod, ReconfigureProgress.PENDING));
            return new Outcome(Outcome.Kind.DONE, "checked against pod " + first, progress);
        } catch (SQLException | RuntimeException e) {
            return Outcome.retry("cannot ask pod " + first + ": " + message(p, e));
        }
    }

    /** Whether the pod's admin interface answers now (read-only; nothing is written). */
    public Outcome reachable(ProxySQL p, String pod) {
        try {
            tables(p, pod).knownVariables(List.of("admin-version"));
            return Outcome.done("pod " + pod + " answers");
        } catch (SQLException | RuntimeException e) {
            return Outcome.retry("pod " + pod + " does not answer on its admin interface: " + message(p, e));
        }
    }

    /** Writes the change to the pod, loads it to runtime, saves it to disk, then checks runtime and disk show it. */
    public Outcome apply(ProxySQL p, ReconfigureIntent intent, String pod) {
        Map<String, String> hashes = new LinkedHashMap<>();
        Outcome passwords = hashes(p, ReconfigurePlan.usersNeedingPasswords(intent), hashes);
        if (passwords.kind() != Outcome.Kind.DONE) {
            return passwords;
        }
        Outcome written = write(p, pod, ReconfigurePlan.forward(intent, hashes), "reconfigured: " + ReconfigurePlan.describe(intent));
        if (written.kind() != Outcome.Kind.FAILED) {
            return written;
        }
        // Name the fields of the request whose values ProxySQL did not take (it keeps the old value of a variable it refuses).
        List<String> fields = intent.variables().keySet().stream().filter(v -> written.message().contains(" " + v + " "))
                .map(intent::field).toList();
        return fields.isEmpty() ? written : Outcome.failed(written.message() + " (" + String.join(", ", fields) + ")");
    }

    /**
     * Puts the previous values back on the pod. A user the request deleted is written again with the password the pod
     * still has for it, else the backend's.
     */
    public Outcome restore(ProxySQL p, ProxySQLOpsRequest request, ReconfigureProgress progress, String pod) {
        List<String> recreate = ReconfigurePlan.usersToRecreate(progress);
        Map<String, String> passwords = new LinkedHashMap<>();
        try {
            passwords.putAll(tables(p, pod).passwords(recreate));
        } catch (SQLException | RuntimeException e) {
            return Outcome.retry("pod " + pod + ": " + message(p, e));
        }
        List<String> missing = recreate.stream().filter(u -> !passwords.containsKey(u)).toList();
        Outcome fromBackend = hashes(p, missing, passwords);
        if (fromBackend.kind() != Outcome.Kind.DONE) {
            return fromBackend;
        }
        Map<String, String> credentials = Map.of();
        if (progress.getPreviousVariables().keySet().stream().anyMatch(CredentialVariables::isCredential)) {
            try {
                credentials = previousCredentials.read(request).orElse(Map.of());
            } catch (KubernetesClientException e) {
                return Outcome.retry("cannot read Secret " + PreviousCredentials.secretName(request) + ": " + e.getMessage());
            }
        }
        ConfigChange back;
        try {
            back = ReconfigurePlan.rollback(progress, passwords, credentials);
        } catch (IllegalArgumentException e) {
            return Outcome.failed("pod " + pod + ": " + e.getMessage() + " (Secret " + PreviousCredentials.secretName(request)
                    + " is gone or lacks it): set it back by hand");
        }
        return write(p, pod, back, "previous values put back");
    }

    private Outcome write(ProxySQL p, String pod, ConfigChange change, String what) {
        ConfigTables tables;
        try {
            tables = tables(p, pod);
            tables.apply(change);
        } catch (SQLException | RuntimeException e) {
            return Outcome.retry("pod " + pod + ": " + message(p, e));
        }
        try {
            List<String> differences = tables.differences(change);
            return differences.isEmpty() ? Outcome.done("pod " + pod + " " + what + "; runtime and disk checked")
                    : Outcome.failed("pod " + pod + ": ProxySQL did not take the change: " + String.join("; ", differences));
        } catch (SQLException | RuntimeException e) {
            return Outcome.retry("pod " + pod + ": cannot check the change: " + message(p, e));
        }
    }

    /** Adds the backend's hash of each user to {@code into}; FAILED naming the users the backend cannot give one for. */
    private Outcome hashes(ProxySQL p, List<String> users, Map<String, String> into) {
        if (users.isEmpty()) {
            return Outcome.done("no password needed");
        }
        String ns = p.getMetadata().getNamespace();
        String bindingName = p.getSpec().getBackend() == null ? null : p.getSpec().getBackend().getName();
        AppBinding binding = bindingName == null ? null : client.resources(AppBinding.class).inNamespace(ns).withName(bindingName).get();
        var address = binding == null ? java.util.Optional.<BackendAddress>empty() : BackendAddress.of(binding);
        Secret secret = binding == null || binding.getSpec().getSecret() == null ? null
                : client.secrets().inNamespace(ns).withName(binding.getSpec().getSecret().getName()).get();
        if (address.isEmpty() || secret == null) {
            return Outcome.retry("cannot read users' passwords: the backend's AppBinding " + bindingName + " or its Secret is not usable");
        }
        Credentials login = new Credentials(decode(secret, "username", "root"), decode(secret, "password", ""));
        try {
            BackendPasswordHashes.Lookup found = backend.lookup(address.get().host(), address.get().port(), login, users);
            into.putAll(found.hashes());
            if (!found.problems().isEmpty()) {
                List<String> lines = new ArrayList<>();
                found.problems().forEach((u, why) -> lines.add("user " + u + " " + why));
                return Outcome.failed(ReconfigureIntent.FIELD + ".mysqlUsers.users: " + String.join(", ", lines)
                        + " (ProxySQL takes each user's password from the backend)");
            }
            return Outcome.done("passwords read");
        } catch (SQLException e) {
            return Outcome.retry("cannot read users' passwords from backend " + address.get().host() + ":" + address.get().port() + ": "
                    + SecretRedactor.redact(String.valueOf(e.getMessage()), login.password()));
        }
    }

    private ConfigTables tables(ProxySQL p, String pod) {
        Secret auth = client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.authSecret(p)).get();
        if (auth == null || auth.getData() == null || !auth.getData().containsKey("password")) {
            throw new IllegalStateException("auth Secret " + ProxySQLNames.authSecret(p) + " has no password");
        }
        return new ConfigTables(endpoints.of(p, pod), new AdminCredentials(decode(auth, "username", ProxySQLNames.CLUSTER_USER),
                decode(auth, "password", "")), TIMEOUTS);
    }

    private String message(ProxySQL p, Exception e) {
        Secret auth = client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.authSecret(p)).get();
        String text = String.valueOf(e.getMessage());
        return auth == null || auth.getData() == null || auth.getData().get("password") == null ? text
                : SecretRedactor.redact(text, decode(auth, "password", ""));
    }

    private static String decode(Secret s, String key, String fallback) {
        String b64 = s.getData() == null ? null : s.getData().get(key);
        return b64 == null ? fallback : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
