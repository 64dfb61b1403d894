package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.TlsRotationProgress;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.OpsStateMachine.Run;
import dev.proxysql.operator.opsmanager.types.Operation;
import dev.proxysql.operator.opsmanager.types.ReconfigureTlsConditions;
import dev.proxysql.operator.opsmanager.types.ReconfigureTlsOperation;
import dev.proxysql.operator.opsmanager.types.TlsRotation;
import dev.proxysql.operator.topology.ProxySQLNames;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The step of a ReconfigureTLS {@code rotateCertificates}, which replaces no pod:
 * <pre>
 * Pausing ─▶ RotatingCertificates ─▶ UpdatingDatabase (nothing to write) ─▶ Resuming
 *                   │ (fail/cancel)
 *                   └─▶ Resuming
 * </pre>
 * First the serial of the server certificate is recorded; then a new one is issued (repeated, each pass, until the
 * Secret holds another serial, which is then recorded: an operator stopped between the write and the record adopts
 * the Secret it finds); then pod by pod, in ordinal order: {@code PROXYSQL RELOAD TLS} and a TLS handshake, until it
 * serves the new serial (tried until the step timeout, counted per pod). Each write goes through {@link OpsEffects}
 * after the status that says it is about to happen. A failure is not rolled back: the new certificate is from the
 * same CA, the old key is gone, and the pods not reloaded yet keep serving the old certificate until they reload or
 * restart; the request fails naming the pod.
 */
final class TlsRotationSteps {
    static final String RELOAD_TLS = "ReloadTLS";
    static final String POD_CONDITION = "ReloadTLS--";
    private final OpsStateMachine machine;

    TlsRotationSteps(OpsStateMachine machine) {
        this.machine = machine;
    }

    /** Records KubeDB's TLS conditions ({@link ReconfigureTlsConditions}); the caller saves. */
    private static void note(Run run, List<Operation.Note> notes) {
        notes.forEach(n -> run.condition(n.type(), n.status(), n.reason(), n.message()));
    }

    Optional<Duration> rotating(Run run) {
        TlsRotation rotation = ((ReconfigureTlsOperation) run.op).rotation();
        ProxySQL p = run.proxysql;
        TlsRotationProgress tp = run.progress().getTlsRotation();
        if (run.deleting()) {
            return machine.failRun(run, new StepOutcome.Fail("cancelled: the request was deleted while the certificates were being rotated",
                    OpsStep.RESUMING));
        }
        if (tp == null) {
            String previous = rotation.secretSerial(p);
            if (previous == null) {
                return machine.failRun(run, new StepOutcome.Fail("step RotatingCertificates: the server certificate Secret of ProxySQL "
                        + p.getMetadata().getName() + " holds no certificate to rotate", OpsStep.RESUMING));
            }
            tp = new TlsRotationProgress();
            tp.setPreviousSerial(previous);
            Map<String, String> pods = new LinkedHashMap<>();
            int replicas = p.getSpec().getReplicas() == null ? 1 : p.getSpec().getReplicas();
            for (int i = 0; i < replicas; i++) {
                pods.put(ProxySQLNames.statefulSet(p) + "-" + i, TlsRotationProgress.PENDING);
            }
            tp.setPods(pods);
            run.progress().setTlsRotation(tp);
            note(run, List.of(ReconfigureTlsConditions.issuing("issuing a new server certificate to replace serial " + previous)));
            run.save();
            return Optional.of(Duration.ZERO);
        }
        if (tp.getSerial() == null) {
            String current = rotation.secretSerial(p);
            if (current != null && !current.equals(tp.getPreviousSerial())) {
                tp.setSerial(current);
                note(run, ReconfigureTlsConditions.issued("new server certificate, serial " + current + " (was " + tp.getPreviousSerial() + ")",
                        "Successfully synced all certificates: the server certificate Secret holds serial " + current));
                run.save();
                machine.effects().normal(run.r, OpsReason.RECONFIGURE_POD, "Issued a new server certificate for ProxySQL "
                        + p.getMetadata().getName() + ": serial " + current);
                return Optional.of(Duration.ZERO);
            }
            if (run.stepTimedOut()) {
                // Issuing and IssueCertificatesSucceeded go False (IssueCertificatesFailed) with the failure (Operation.Moment.FAILED).
                return machine.failRun(run, new StepOutcome.Fail("step RotatingCertificates: no new server certificate was issued within "
                        + run.timeoutText() + " (the Secret still holds serial " + tp.getPreviousSerial() + ")", OpsStep.RESUMING));
            }
            machine.effects().rotateTls(run.r, "issue a new certificate", () -> {
                rotation.reissue(p, Instant.now(machine.clock()));
                return null;
            });
            return machine.pollAgain();
        }
        Optional<String> next = tp.getPods().entrySet().stream().filter(e -> TlsRotationProgress.PENDING.equals(e.getValue()))
                .map(Map.Entry::getKey).findFirst();
        if (next.isEmpty()) {
            run.condition(RELOAD_TLS, true, "ReloadPodsSucceeded", "every pod serves the new certificate (serial " + tp.getSerial()
                    + ") after PROXYSQL RELOAD TLS; no pod was restarted");
            run.to(OpsStep.UPDATING_DATABASE);
            run.save();
            return Optional.of(Duration.ZERO);
        }
        String pod = next.get();
        if (tp.getPodStartedAt() == null) {
            tp.setPodStartedAt(Conditions.now(machine.clock()));
            run.save();
        }
        String serial = tp.getSerial();
        TlsRotation.PodResult result = machine.effects().rotateTls(run.r, "reload TLS " + pod, () -> rotation.reloadAndCheck(p, pod, serial));
        if (result.served()) {
            tp.getPods().put(pod, TlsRotationProgress.RELOADED);
            tp.setPodStartedAt(null);
            run.condition(POD_CONDITION + pod, true, "ReloadPodSucceeded", result.message());
            run.save();
            machine.effects().normal(run.r, OpsReason.RECONFIGURE_POD, "Reloaded TLS on pod " + p.getMetadata().getNamespace() + "/" + pod
                    + ": serial " + serial);
            return Optional.of(Duration.ZERO);
        }
        Instant from = Instant.parse(tp.getPodStartedAt());
        if (from.isBefore(machine.started())) {
            from = machine.started();
        }
        if (Instant.now(machine.clock()).isBefore(from.plus(run.timeout()))) {
            return machine.pollAgain();
        }
        String why = result.message() + " (tried for " + run.timeoutText() + ")";
        run.condition(POD_CONDITION + pod, false, "ReloadPodFailed", why);
        return machine.failRun(run, new StepOutcome.Fail("step RotatingCertificates, pod " + pod + ": " + why, OpsStep.RESUMING));
    }
}
