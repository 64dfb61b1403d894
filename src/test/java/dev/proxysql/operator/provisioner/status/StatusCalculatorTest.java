package dev.proxysql.operator.provisioner.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.topology.PauseProtocol;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusCalculatorTest {
    private static final Clock T0 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Clock T1 = Clock.fixed(Instant.parse("2026-01-01T00:05:00Z"), ZoneOffset.UTC);
    private static final Observation.Health ACCEPTING = new Observation.Health(true, "DatabaseAcceptingConnectionRequest", "ok");
    private static final Observation.Health REFUSING = new Observation.Health(false, "DatabaseNotAcceptingConnectionRequest", "no ready pod");

    private static Observation obs(List<Condition> previous, Observation.Replicas replicas, Observation.Health health) {
        return new Observation(3, previous, Optional.empty(), false, false, Optional.ofNullable(replicas), Optional.ofNullable(health),
                Optional.empty());
    }

    @Test
    void missingDependencyBeforeProvisioningIsNotReadyAndNamesTheProblem() {
        Observation o = new Observation(1, List.of(), Optional.of(new Observation.Problem("ProxySQLVersionNotFound",
                "ProxySQLVersion \"9.9.9\" named by spec.version does not exist")), false, false, Optional.empty(), Optional.empty(), Optional.empty());
        ProxySQLStatus s = new StatusCalculator(T0).compute(o);
        assertThat(s.getPhase()).isEqualTo(DatabasePhase.NOT_READY);
        Condition dep = Conditions.find(s.getConditions(), ConditionTypes.DEPENDENCY_READY).orElseThrow();
        assertThat(dep.getStatus()).isEqualTo("False");
        assertThat(dep.getMessage()).contains("spec.version").contains("9.9.9");
        assertThat(Conditions.find(s.getConditions(), ConditionTypes.PROVISIONING_STARTED)).isEmpty();
    }

    @Test
    void provisioningUntilFirstReadyThenReady() {
        ProxySQLStatus starting = new StatusCalculator(T0).compute(obs(List.of(), new Observation.Replicas(3, 1), ACCEPTING));
        assertThat(starting.getPhase()).isEqualTo(DatabasePhase.PROVISIONING);
        assertThat(Conditions.isTrue(starting.getConditions(), ConditionTypes.PROVISIONED)).isFalse();

        ProxySQLStatus ready = new StatusCalculator(T1).compute(obs(starting.getConditions(), new Observation.Replicas(3, 3), ACCEPTING));
        assertThat(ready.getPhase()).isEqualTo(DatabasePhase.READY);
        assertThat(ready.getObservedGeneration()).isEqualTo(3);
        assertThat(Conditions.isTrue(ready.getConditions(), ConditionTypes.PROVISIONED)).isTrue();
    }

    @Test
    void oneReplicaDownAfterProvisioningIsCriticalAndNoneAcceptingIsNotReady() {
        List<Condition> readyBefore = new StatusCalculator(T0).compute(obs(List.of(), new Observation.Replicas(3, 3), ACCEPTING)).getConditions();
        ProxySQLStatus degraded = new StatusCalculator(T1).compute(obs(readyBefore, new Observation.Replicas(3, 2), ACCEPTING));
        assertThat(degraded.getPhase()).isEqualTo(DatabasePhase.CRITICAL);
        assertThat(Conditions.find(degraded.getConditions(), ConditionTypes.REPLICA_READY).orElseThrow().getMessage())
                .isEqualTo("2 of 3 replicas are ready.");
        ProxySQLStatus down = new StatusCalculator(T1).compute(obs(readyBefore, new Observation.Replicas(3, 0), REFUSING));
        assertThat(down.getPhase()).isEqualTo(DatabasePhase.NOT_READY);
    }

    @Test
    void recomputingASettledStatusGivesAnEqualResultSoNothingIsWritten() {
        ProxySQLStatus first = new StatusCalculator(T0).compute(obs(List.of(), new Observation.Replicas(1, 1), ACCEPTING));
        ProxySQLStatus again = new StatusCalculator(T1).compute(obs(first.getConditions(), new Observation.Replicas(1, 1), ACCEPTING));
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(again))
                .isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(first));
    }

    @Test
    void transitionTimeMovesOnlyWhenStatusChanges() {
        List<Condition> ready = new StatusCalculator(T0).compute(obs(List.of(), new Observation.Replicas(2, 2), ACCEPTING)).getConditions();
        List<Condition> degraded = new StatusCalculator(T1).compute(obs(ready, new Observation.Replicas(2, 1), ACCEPTING)).getConditions();
        assertThat(Conditions.find(degraded, ConditionTypes.REPLICA_READY).orElseThrow().getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
        assertThat(Conditions.find(degraded, ConditionTypes.ACCEPTING_CONNECTION).orElseThrow().getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void haltedWinsAndPausedIsAcknowledgedWithoutReturningTheOpsManagersCondition() {
        Condition paused = new Condition(PauseProtocol.PAUSED, "True", "PausedByOpsRequest", "upgrade");
        paused.setLastTransitionTime("2026-01-01T00:00:00Z");
        Observation halted = new Observation(2, List.of(paused), Optional.empty(), true, true,
                Optional.empty(), Optional.empty(), Optional.empty());
        ProxySQLStatus s = new StatusCalculator(T0).compute(halted);
        assertThat(s.getPhase()).isEqualTo(DatabasePhase.HALTED);
        assertThat(Conditions.isTrue(s.getConditions(), PauseProtocol.PROVISIONER_PAUSED)).isTrue();
        assertThat(Conditions.find(s.getConditions(), PauseProtocol.PAUSED)).isEmpty();
    }

    @Test
    void aFailedMonitorUserIsReportedLeavesThePhaseAloneAndIsKeptWhenNotJudged() {
        Observation.Check refused = new Observation.Check(false, "BackendUnreachable", "backend mysql-server.demo.svc:3306 is unreachable");
        Observation failing = new Observation(3, List.of(), Optional.empty(), false, false, Optional.of(new Observation.Replicas(1, 1)),
                Optional.of(ACCEPTING), Optional.of(refused));
        ProxySQLStatus s = new StatusCalculator(T0).compute(failing);

        assertThat(s.getPhase()).as("the monitor user does not enter the phase").isEqualTo(DatabasePhase.READY);
        Condition monitor = Conditions.find(s.getConditions(), ConditionTypes.MONITOR_USER_READY).orElseThrow();
        assertThat(monitor.getStatus()).isEqualTo("False");
        assertThat(monitor.getReason()).isEqualTo("BackendUnreachable");
        assertThat(monitor.getMessage()).contains("mysql-server.demo.svc:3306");

        ProxySQLStatus notJudged = new StatusCalculator(T1).compute(obs(s.getConditions(), new Observation.Replicas(1, 1), ACCEPTING));
        assertThat(Conditions.find(notJudged.getConditions(), ConditionTypes.MONITOR_USER_READY)).as("kept while backing off")
                .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("BackendUnreachable"));
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(notJudged))
                .as("nothing to write").isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(s));
    }

    @Test
    void theBackendModeIsReportedLeavesThePhaseAloneAndIsKeptWhenNotDecidedAnew() {
        Observation.Check hint = new Observation.Check(false, "Galera", "The backend could not be read yet (...)");
        Observation decided = new Observation(3, List.of(), Optional.empty(), false, false, Optional.of(new Observation.Replicas(1, 1)),
                Optional.of(ACCEPTING), Optional.empty(), Observation.Users.NONE, Optional.of(hint));
        ProxySQLStatus s = new StatusCalculator(T0).compute(decided);

        assertThat(s.getPhase()).as("the backend mode does not enter the phase").isEqualTo(DatabasePhase.READY);
        Condition mode = Conditions.find(s.getConditions(), ConditionTypes.BACKEND_MODE_DETECTED).orElseThrow();
        assertThat(mode.getStatus()).isEqualTo("False");
        assertThat(mode.getReason()).isEqualTo("Galera");

        ProxySQLStatus notDecided = new StatusCalculator(T1).compute(obs(s.getConditions(), new Observation.Replicas(1, 1), ACCEPTING));
        assertThat(Conditions.find(notDecided.getConditions(), ConditionTypes.BACKEND_MODE_DETECTED)).as("kept between reads")
                .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("Galera"));
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(notDecided))
                .as("nothing to write").isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(s));
    }
}
