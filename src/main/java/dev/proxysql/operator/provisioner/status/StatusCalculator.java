package dev.proxysql.operator.provisioner.status;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.topology.PauseProtocol;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the part of a ProxySQL's status the provisioner owns: its conditions, the phase and
 * observedGeneration. Conditions written by others (the ops manager's {@code Paused}) are read, never returned, so
 * that a server-side apply of the result leaves them alone.
 */
public final class StatusCalculator {
    private final Clock clock;

    public StatusCalculator(Clock clock) {
        this.clock = clock;
    }

    public ProxySQLStatus compute(Observation o) {
        List<Condition> owned = new ArrayList<>();
        boolean startedBefore = Conditions.isTrue(o.previous(), ConditionTypes.PROVISIONING_STARTED);
        if (startedBefore || o.statefulSet().isPresent()) {
            owned.add(condition(o, ConditionTypes.PROVISIONING_STARTED, true, "DatabaseProvisioningStartedSuccessfully",
                    "The ProxySQL provisioning process has started."));
        }
        owned.add(o.dependency()
                .map(p -> condition(o, ConditionTypes.DEPENDENCY_READY, false, p.reason(), p.message()))
                .orElseGet(() -> condition(o, ConditionTypes.DEPENDENCY_READY, true, "DependenciesFound",
                        "The ProxySQLVersion, the backend AppBinding and the Secrets it needs are all present.")));
        if (o.halted()) {
            owned.add(condition(o, ConditionTypes.HALTED, true, "DatabaseHaltedSuccessfully",
                    "spec.halted is true: the StatefulSet, Services and PodDisruptionBudget are removed; Secrets are kept."));
        } else if (Conditions.find(o.previous(), ConditionTypes.HALTED).isPresent()) {
            owned.add(condition(o, ConditionTypes.HALTED, false, "DatabaseResumed", "spec.halted is false: running parts are restored."));
        }
        if (!o.halted()) {
            o.statefulSet().ifPresent(r -> addReadiness(o, r, owned));
        }
        keepProvisioned(o, owned);
        monitorUser(o, owned);
        users(o, owned);
        backendMode(o, owned);
        if (o.paused()) {
            owned.add(condition(o, PauseProtocol.PROVISIONER_PAUSED, true, "PausedByOpsRequest",
                    "The provisioner changes no child object while the ProxySQL is paused."));
        }
        ProxySQLStatus status = new ProxySQLStatus();
        status.setConditions(owned);
        status.setObservedGeneration(o.generation());
        List<Condition> all = new ArrayList<>(owned);
        Conditions.find(o.previous(), PauseProtocol.PAUSED).ifPresent(all::add);
        status.setPhase(PhaseCalculator.phase(all));
        return status;
    }

    private void addReadiness(Observation o, Observation.Replicas r, List<Condition> owned) {
        boolean replicasReady = r.allReady();
        owned.add(replicasReady
                ? condition(o, ConditionTypes.REPLICA_READY, true, "AllReplicasReady", "All desired replicas are ready.")
                : condition(o, ConditionTypes.REPLICA_READY, false, "SomeReplicasNotReady",
                        r.ready() + " of " + r.desired() + " replicas are ready."));
        Observation.Health health = o.health().orElse(new Observation.Health(false, "DatabaseNotAcceptingConnectionRequest",
                "No ProxySQL pod is ready yet."));
        owned.add(condition(o, ConditionTypes.ACCEPTING_CONNECTION, health.accepting(), health.reason(), health.message()));
        boolean ready = replicasReady && health.accepting();
        owned.add(ready
                ? condition(o, ConditionTypes.READY, true, "ReadinessCheckSucceeded", "ProxySQL is ready: every replica is ready and accepts connections.")
                : condition(o, ConditionTypes.READY, false, "ReadinessCheckFailed",
                        replicasReady ? health.message() : r.ready() + " of " + r.desired() + " replicas are ready."));
    }

    /** Reported when judged; otherwise (paused, halted, backing off, a missing dependency) the previous one stays. */
    private void monitorUser(Observation o, List<Condition> owned) {
        o.monitorUser()
                .map(c -> condition(o, ConditionTypes.MONITOR_USER_READY, c.ok(), c.reason(), c.message()))
                .or(() -> Conditions.find(o.previous(), ConditionTypes.MONITOR_USER_READY).map(c ->
                        condition(o, ConditionTypes.MONITOR_USER_READY, c.isTrue(), c.getReason(), c.getMessage())))
                .ifPresent(owned::add);
    }

    /** Reported when decided anew; otherwise (not due, paused, halted) the previous one stays. */
    private void backendMode(Observation o, List<Condition> owned) {
        o.backendMode()
                .map(c -> condition(o, ConditionTypes.BACKEND_MODE_DETECTED, c.ok(), c.reason(), c.message()))
                .or(() -> Conditions.find(o.previous(), ConditionTypes.BACKEND_MODE_DETECTED).map(c ->
                        condition(o, ConditionTypes.BACKEND_MODE_DETECTED, c.isTrue(), c.getReason(), c.getMessage())))
                .ifPresent(owned::add);
    }

    /** Like the monitor user's, but only while the ProxySQL has users to put into ProxySQL. */
    private void users(Observation o, List<Condition> owned) {
        if (!o.users().wanted()) {
            return;
        }
        o.users().check()
                .map(c -> condition(o, ConditionTypes.INTERNAL_USERS_SYNCED, c.ok(), c.reason(), c.message()))
                .or(() -> Conditions.find(o.previous(), ConditionTypes.INTERNAL_USERS_SYNCED).map(c ->
                        condition(o, ConditionTypes.INTERNAL_USERS_SYNCED, c.isTrue(), c.getReason(), c.getMessage())))
                .ifPresent(owned::add);
    }

    /** Provisioned becomes True the first time the ProxySQL is Ready and stays True, as in KubeDB. */
    private void keepProvisioned(Observation o, List<Condition> owned) {
        boolean readyNow = owned.stream().anyMatch(c -> ConditionTypes.READY.equals(c.getType()) && c.isTrue());
        if (readyNow || Conditions.isTrue(o.previous(), ConditionTypes.PROVISIONED)) {
            owned.add(condition(o, ConditionTypes.PROVISIONED, true, "DatabaseSuccessfullyProvisioned",
                    "The ProxySQL has been provisioned successfully."));
        }
    }

    private Condition condition(Observation o, String type, boolean status, String reason, String message) {
        return Conditions.next(Conditions.find(o.previous(), type), type, status, reason, message, o.generation(), clock);
    }
}
