package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.PodConditionType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.opsmanager.checks.ProxySQLLevelCheck;
import dev.proxysql.operator.opsmanager.io.PodObserver;
import dev.proxysql.operator.opsmanager.io.ProxySQLReleases;
import dev.proxysql.operator.opsmanager.rolling.Action;
import dev.proxysql.operator.opsmanager.rolling.Decision;
import dev.proxysql.operator.opsmanager.rolling.ObservedPod;
import dev.proxysql.operator.opsmanager.rolling.PodState;
import dev.proxysql.operator.opsmanager.rolling.RollSettings;
import dev.proxysql.operator.opsmanager.rolling.RollTarget;
import dev.proxysql.operator.opsmanager.rolling.RollingReplacement;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsMetrics;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ReplacingPods and RollingBackPods: the rolling engine ({@code rolling/}) decides, from the pods as just listed from
 * the API server, which pod to evict, wait for or check next; this step runs the ProxySQL-level check the engine asks
 * for, saves the progress before the one eviction, and evicts through the writer.
 */
public final class ReplacingPodsStep implements Step<ReplacingPodsStep.View> {
    private final FlowObserver observer;
    private final PodObserver pods;
    private final ProxySQLLevelCheck check;
    private final ProxySQLReleases releases;
    private final OpsMetrics metrics;
    private final boolean rollback;
    /**
     * Refused evictions already reported by an Event, as request UID / pod UID, shared by ReplacingPods and
     * RollingBackPods: the engine retries a refused eviction every poll and one Warning per pod is enough. Memory only,
     * on purpose: after a restart the worst case is one more Event, and nothing is decided from it.
     */
    private final Set<String> refusalsReported;

    /** The shared facts and the ProxySQL's pods, listed from the API server (empty when the StatefulSet is gone). */
    public record View(StepView facts, Map<String, ObservedPod> pods) {
    }

    public ReplacingPodsStep(FlowObserver observer, PodObserver pods, ProxySQLLevelCheck check, ProxySQLReleases releases,
                             OpsMetrics metrics, Set<String> refusalsReported, boolean rollback) {
        this.observer = observer;
        this.pods = pods;
        this.check = check;
        this.releases = releases;
        this.metrics = metrics;
        this.refusalsReported = refusalsReported;
        this.rollback = rollback;
    }

    @Override
    public View observe(OpsRun run) {
        StepView facts = observer.observe(run, FlowObserver.Reads.STATEFUL_SET);
        return new View(facts, facts.statefulSetExists() ? pods.observe(run.proxysql()) : Map.of());
    }

    @Override
    public StepOutcome decide(View view) {
        return StepDecisions.replacingPods(view.facts(), rollback);
    }

    @Override
    public void forget(String requestUid) {
        refusalsReported.removeIf(k -> k.startsWith(requestUid + "/"));
    }

    @Override
    public StepResult act(OpsRun run, View view, StepOutcome outcome) {
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return StepResult.of(outcome);
        }
        StatefulSet sts = run.sts();
        Map<String, String> images = rollback ? run.progress().getPreviousImages() : run.progress().getTargetImages();
        RollTarget target = new RollTarget(sts.getStatus().getUpdateRevision(), images);
        // The check always runs through the engine: when ProxySQL-level checks are off, ProxySQLLevelCheck.skipped()
        // passes it and the pod's CheckPodReady condition says so.
        RollSettings rs = new RollSettings(sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas(), run.timeout(),
                run.request().getSpec().getMaxRetries() == null ? 1 : run.request().getSpec().getMaxRetries(), run.started());
        Instant now = Instant.now(run.clock());
        String persisted = Serialization.asJson(run.progress().getPods());
        Map<String, ObservedPod> observed = view.pods();
        Decision d = RollingReplacement.next(run.progress().getPods(), observed, target, rs, now);
        for (int checks = 0; d.action() instanceof Action.Verify verify && checks < observed.size() + 1; checks++) {
            VerifyResult result = check.verify(run.proxysql(), verify.pod(), releases.of(rollback ? run.progress().getFromVersion()
                    : run.progress().getToVersion()));
            String checked = "pod " + verify.pod() + " is Ready on revision " + target.revision() + "; " + result.message();
            run.condition(PodConditionType.CHECK_POD_READY, verify.pod(), result.passed(),
                    result.passed() ? OpsReason.POD_READY : result.pending() ? OpsReason.CHECK_PENDING : OpsReason.CHECK_FAILED, checked);
            d = RollingReplacement.verified(d.progress(), verify, result, rs, now);
            if (!result.pending()) {
                // Every pod's result stays in the progress; the conditions keep only the most recent pods'.
                recordCheck(d.progress(), verify.pod(), checked);
            }
            if (result.passed() && d.action() instanceof Action.Wait) {
                // The pod is Done and the engine names the next one: decide its step from the same observation, so
                // that its eviction is saved together with this pod's result instead of waiting for another pass.
                d = RollingReplacement.next(d.progress(), observed, target, rs, now);
            }
        }
        int replaced = newlyReplaced(run.progress().getPods(), d.progress());
        run.progress().setPods(d.progress());
        StepResult next = carryOut(run, d.action(), target, !persisted.equals(Serialization.asJson(d.progress())));
        // Counted once saved: a pass decided on a stale cache ends in a conflict (an exception) and is decided again.
        metrics.replaced(EnumNames.of(run.request().getSpec().getType()), rollback, replaced);
        return next;
    }

    private static void recordCheck(List<PodProgress> progress, String pod, String checked) {
        progress.stream().filter(p -> pod.equals(p.getName())).findFirst()
                .ifPresent(p -> p.setCheck(Conditions.cut(checked, PodProgress.MAX_CHECK)));
    }

    /** Pods that were evicted by this request and are now Done (not those found already on target). */
    private static int newlyReplaced(List<PodProgress> before, List<PodProgress> after) {
        Map<String, String> was = before == null ? Map.of() : before.stream()
                .collect(Collectors.toMap(PodProgress::getName, p -> String.valueOf(p.getState()), (a, b) -> a));
        return (int) after.stream().filter(p -> PodState.DONE.value().equals(p.getState()) && p.getEvictedUid() != null
                && !PodState.DONE.value().equals(was.get(p.getName()))).count();
    }

    /** Carries out the rolling engine's decision for the pods. */
    private StepResult carryOut(OpsRun run, Action action, RollTarget target, boolean progressChanged) {
        if (action instanceof Action.Evict evict) {
            run.condition(PodConditionType.EVICT_POD, evict.pod(), true, rollback ? OpsReason.EVICT_POD_FOR_ROLLBACK : OpsReason.EVICT_POD,
                    "evict pod " + evict.pod() + " (uid " + evict.uid() + "): " + evict.reason());
            run.save();
            evict(run, evict);
            return StepResult.poll();
        }
        if (action instanceof Action.Complete) {
            if (rollback) {
                run.condition(ConditionType.ROLLBACK, true, OpsReason.ROLLBACK_SUCCEEDED, "every pod is back on revision " + target.revision()
                        + " (" + run.previousChange().describe() + ")");
                run.to(OpsStep.RESUMING);
            } else {
                run.condition(ConditionType.RESTART_PODS, true, OpsReason.RESTART_PODS_SUCCEEDED, "every pod was replaced and checked");
                run.note(Operation.Moment.PODS_REPLACED);
                run.to(OpsStep.UPDATING_DATABASE);
            }
            run.save();
            return StepResult.now();
        }
        if (action instanceof Action.Fail fail) {
            return rollback ? new StepResult.RollbackFailed(fail.reason())
                    : new StepResult.Failed(StepDecisions.fail(run.changesTemplate(), "step ReplacingPods" + (fail.pod() == null ? "" : ", pod "
                    + fail.pod()) + ": " + fail.reason(), OpsStep.ROLLING_BACK_STATEFUL_SET));
        }
        // Wait: persist progress changes (a pod's clock starting, a check result), not the countdown.
        if (progressChanged) {
            run.save();
        }
        return StepResult.poll();
    }

    private void evict(OpsRun run, Action.Evict evict) {
        String ns = run.proxysql().getMetadata().getNamespace();
        String refusal = run.request().getMetadata().getUid() + "/" + evict.uid();
        switch (run.writer().evict(run.request(), ns, evict.pod(), evict.uid())) {
            case EVICTED -> {
                metrics.evicted();
                refusalsReported.remove(refusal);
                // Recorded after the eviction: the Event only reports, and the pod should not wait for it.
                run.writer().normal(run.request(), OpsReason.RESTART_POD, "Restarting Pod: " + ns + "/" + evict.pod() + " (" + evict.reason() + ")");
            }
            case REFUSED -> {
                if (refusalsReported.add(refusal)) {
                    run.writer().warning(run.request(), OpsReason.EVICTION_REFUSED, "Eviction of pod " + ns + "/" + evict.pod() + " refused (429: a "
                            + "PodDisruptionBudget allows no disruption now, or the API server is throttling); retrying until the "
                            + "step timeout (" + run.timeoutText() + ")");
                }
            }
            case GONE -> {
                // Already gone or replaced: the next observation of the pods tells which.
            }
        }
    }
}
