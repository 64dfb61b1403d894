package dev.proxysql.operator.opsmanager.reconfiguretls;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.PodConditionType;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.TlsRotationProgress;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.StepResult;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.Operation;
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
 * serves the new serial (tried until the step timeout, counted per pod). Each write goes through the writer
 *, after the status that says it is about to happen. A failure is not rolled back: the new certificate is from the
 * same CA, the old key is gone, and the pods not reloaded yet keep serving the old certificate until they reload or
 * restart; the request fails naming the pod.
 */
public final class RotatingCertificatesStep implements Step<RotatingCertificatesStep.View> {
    private final TlsRotation rotation;

    /** Whether the request is being deleted. */
    public record View(boolean deleting) {
    }

    public RotatingCertificatesStep(TlsRotation rotation) {
        this.rotation = rotation;
    }

    /** Records KubeDB's TLS conditions ({@link ReconfigureTlsConditions}); the caller saves. */
    private static void note(OpsRun run, List<Operation.Note> notes) {
        notes.forEach(n -> run.condition(n.type(), n.status(), n.reason(), n.message()));
    }

    @Override
    public View observe(OpsRun run) {
        return new View(run.deleting());
    }

    /** A cancel resumes: a rotation is not rolled back (the new certificate is from the same CA). */
    @Override
    public StepOutcome decide(View view) {
        return view.deleting() ? new StepOutcome.Fail("cancelled: the request was deleted while the certificates were being rotated",
                OpsStep.RESUMING) : new StepOutcome.Proceed();
    }

    @Override
    public StepResult act(OpsRun run, View view, StepOutcome outcome) {
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return StepResult.of(outcome);
        }
        ProxySQL p = run.proxysql();
        TlsRotationProgress tp = run.progress().getTlsRotation();
        if (tp == null) {
            String previous = rotation.secretSerial(p);
            if (previous == null) {
                return new StepResult.Failed(new StepOutcome.Fail("step RotatingCertificates: the server certificate Secret of ProxySQL "
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
            return StepResult.now();
        }
        if (tp.getSerial() == null) {
            String current = rotation.secretSerial(p);
            if (current != null && !current.equals(tp.getPreviousSerial())) {
                tp.setSerial(current);
                note(run, ReconfigureTlsConditions.issued("new server certificate, serial " + current + " (was " + tp.getPreviousSerial() + ")",
                        "Successfully synced all certificates: the server certificate Secret holds serial " + current));
                run.save();
                run.writer().normal(run.request(), OpsReason.RECONFIGURE_POD, "Issued a new server certificate for ProxySQL "
                        + p.getMetadata().getName() + ": serial " + current);
                return StepResult.now();
            }
            if (run.stepTimedOut()) {
                // Issuing and IssueCertificatesSucceeded go False (IssueCertificatesFailed) with the failure (Operation.Moment.FAILED).
                return new StepResult.Failed(new StepOutcome.Fail("step RotatingCertificates: no new server certificate was issued within "
                        + run.timeoutText() + " (the Secret still holds serial " + tp.getPreviousSerial() + ")", OpsStep.RESUMING));
            }
            run.writer().act(run.request(), "issue a new certificate", () -> {
                rotation.reissue(p, Instant.now(run.clock()));
                return null;
            });
            return StepResult.poll();
        }
        Optional<String> next = tp.getPods().entrySet().stream().filter(e -> TlsRotationProgress.PENDING.equals(e.getValue()))
                .map(Map.Entry::getKey).findFirst();
        if (next.isEmpty()) {
            run.condition(ConditionType.RELOAD_TLS, true, OpsReason.RELOAD_PODS_SUCCEEDED, "every pod serves the new certificate (serial " + tp.getSerial()
                    + ") after PROXYSQL RELOAD TLS; no pod was restarted");
            run.to(OpsStep.UPDATING_DATABASE);
            run.save();
            return StepResult.now();
        }
        String pod = next.get();
        if (tp.getPodStartedAt() == null) {
            tp.setPodStartedAt(Conditions.now(run.clock()));
            run.save();
        }
        String serial = tp.getSerial();
        TlsRotation.PodResult result = run.writer().act(run.request(), "reload TLS " + pod, () -> rotation.reloadAndCheck(p, pod, serial));
        if (result.served()) {
            tp.getPods().put(pod, TlsRotationProgress.RELOADED);
            tp.setPodStartedAt(null);
            run.condition(PodConditionType.RELOAD_TLS, pod, true, OpsReason.RELOAD_POD_SUCCEEDED, result.message());
            run.save();
            run.writer().normal(run.request(), OpsReason.RECONFIGURE_POD, "Reloaded TLS on pod " + p.getMetadata().getNamespace() + "/" + pod
                    + ": serial " + serial);
            return StepResult.now();
        }
        if (!run.timedOut(tp.getPodStartedAt())) {
            return StepResult.poll();
        }
        String why = result.message() + " (tried for " + run.timeoutText() + ")";
        run.condition(PodConditionType.RELOAD_TLS, pod, false, OpsReason.RELOAD_POD_FAILED, why);
        return new StepResult.Failed(new StepOutcome.Fail("step RotatingCertificates, pod " + pod + ": " + why, OpsStep.RESUMING));
    }
}
