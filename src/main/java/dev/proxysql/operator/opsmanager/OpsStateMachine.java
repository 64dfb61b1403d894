package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.kube.GoDuration;
import dev.proxysql.operator.opsmanager.checks.ProxySQLLevelCheck;
import dev.proxysql.operator.opsmanager.flow.FlowObserver;
import dev.proxysql.operator.opsmanager.flow.PausingStep;
import dev.proxysql.operator.opsmanager.flow.QueuedStep;
import dev.proxysql.operator.opsmanager.flow.ReplacingPodsStep;
import dev.proxysql.operator.opsmanager.flow.RequestDeadline;
import dev.proxysql.operator.opsmanager.flow.ResumingStep;
import dev.proxysql.operator.opsmanager.flow.RollingBackStatefulSetStep;
import dev.proxysql.operator.opsmanager.flow.StepDecisions;
import dev.proxysql.operator.opsmanager.flow.UpdatingDatabaseStep;
import dev.proxysql.operator.opsmanager.flow.UpdatingStatefulSetStep;
import dev.proxysql.operator.opsmanager.io.PodObserver;
import dev.proxysql.operator.opsmanager.io.PodWriter;
import dev.proxysql.operator.opsmanager.io.ProxySQLReleases;
import dev.proxysql.operator.opsmanager.io.TemplateRenderer;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsMetrics;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import dev.proxysql.operator.opsmanager.step.StepWriter;
import dev.proxysql.operator.opsmanager.step.StatusRefused;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.topology.PauseProtocol;
import dev.proxysql.operator.opsmanager.step.StopPoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops-request state machine (see {@link OpsStep}): the loop that advances a request one {@link Step} at a time,
 * the handling of writes the API server keeps refusing, and the transitions every step shares (fail, a failed
 * rollback, the final phase). What each step does is its own class, held in a map from step to implementation: the
 * shared flow in {@code flow/}, a type's own steps in its package ({@link OpsType}). Each pass advances one request
 * by at most one side effect and <b>writes the new status first</b>, then acts: an operator killed at any line (the
 * crash test stops it at every {@link StopPoints stop point}) finds, on restart, either the old step (and repeats an
 * idempotent action) or the new one. The ProxySQL is resumed before any final phase is written, so a Successful,
 * Failed or Skipped request never leaves it paused.
 *
 * <pre>
 * Queued ─▶ Pausing ─▶ UpdatingStatefulSet ─▶ ReplacingPods ─▶ UpdatingDatabase ─▶ Resuming ─▶ Done
 *              │               │                   │ (fail/cancel)
 *              │               └──────(fail)───────┴─▶ RollingBackStatefulSet ─▶ RollingBackPods ─▶ Resuming
 *              └─(fail/cancel)─────────────────────────────────────────────────────────────────▶ Resuming
 * </pre>
 */
public final class OpsStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(OpsStateMachine.class);
    /** Bound on the steps one {@link #advance} call follows at once; the rest continue after {@link #AGAIN_SOON}. */
    static final int MAX_STEPS_PER_CALL = 16;
    static final Duration AGAIN_SOON = Duration.ofMillis(100);
    private final KubernetesClient client;
    private final OpsValidator validator;
    private final OpsSettings settings;
    private final Clock clock;
    private final OpsMetrics metrics;
    private final StepWriter writer;
    private final Map<OpsStep, Step<?>> steps;
    /** When this operator process started: waits are not counted from earlier (see {@link OpsRun#stepTimedOut}). */
    private final Instant started;
    /** Since when each request's steps have been refused by the API server without a break (see {@link #refused}). */
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    public OpsStateMachine(KubernetesClient client, List<OpsType> types, ProxySQLLevelCheck check,
                           OpsSettings settings, Clock clock, String fieldManager, OpsMetrics metrics) {
        this(client, types, check, settings, clock, fieldManager, metrics, StopPoints.NONE);
    }

    /** {@code stops}: where a crash test may stop the operator ({@link StopPoints#NONE} outside tests). */
    public OpsStateMachine(KubernetesClient client, List<OpsType> types, ProxySQLLevelCheck check,
                           OpsSettings settings, Clock clock, String fieldManager, OpsMetrics metrics, StopPoints stops) {
        this.client = client;
        this.validator = new OpsValidator(client, OpsValidator.operations(types));
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.writer = new StepWriter(client, fieldManager, clock, stops);
        this.started = Instant.now(clock);
        this.steps = steps(client, types, check, metrics, validator);
    }

    /** The shared flow's steps, then each type's own; a step claimed twice is a programming error. */
    private static Map<OpsStep, Step<?>> steps(KubernetesClient client, List<OpsType> types, ProxySQLLevelCheck check, OpsMetrics metrics,
                                               OpsValidator validator) {
        TemplateRenderer renderer = new TemplateRenderer(client);
        PodObserver pods = new PodObserver(client);
        ProxySQLReleases releases = new ProxySQLReleases(client);
        FlowObserver observer = new FlowObserver(client, renderer);
        Map<OpsStep, Step<?>> steps = new EnumMap<>(OpsStep.class);
        steps.put(OpsStep.QUEUED, new QueuedStep(observer, validator::validate));
        steps.put(OpsStep.PAUSING, new PausingStep(observer, renderer));
        steps.put(OpsStep.UPDATING_STATEFUL_SET, new UpdatingStatefulSetStep(observer, pods));
        Set<String> refusalsReported = ConcurrentHashMap.newKeySet();
        steps.put(OpsStep.REPLACING_PODS, new ReplacingPodsStep(observer, pods, check, releases, metrics, refusalsReported, false));
        steps.put(OpsStep.UPDATING_DATABASE, new UpdatingDatabaseStep());
        steps.put(OpsStep.ROLLING_BACK_STATEFUL_SET, new RollingBackStatefulSetStep(observer, pods));
        steps.put(OpsStep.ROLLING_BACK_PODS, new ReplacingPodsStep(observer, pods, check, releases, metrics, refusalsReported, true));
        steps.put(OpsStep.RESUMING, new ResumingStep(new PodWriter(client)));
        for (OpsType type : types) {
            type.steps().forEach((step, impl) -> {
                if (steps.putIfAbsent(step, impl) != null) {
                    throw new IllegalArgumentException("step " + EnumNames.of(step) + " of " + EnumNames.of(type.type()) + " is already taken");
                }
            });
        }
        return steps;
    }

    public OpsMetrics metrics() {
        return metrics;
    }

    /**
     * Advances {@code r}; returns when to look again (empty: only on the next event). A step that can be followed at
     * once (its status is saved and the next step needs no outside change) is followed in the same call, from the
     * request as just stored, up to {@link #MAX_STEPS_PER_CALL} steps: waiting for a reschedule would cost time, and
     * the informer's copy of the request may not show the status just written yet, so the next pass would be decided
     * on an old view and its status write refused (409). Each step still saves its status before it acts.
     */
    public Optional<Duration> advance(ProxySQLOpsRequest r, Collection<ProxySQLOpsRequest> all) {
        metrics.observed(all);
        ProxySQLOpsRequest current = r;
        for (int passes = 1; ; passes++) {
            Pass pass = advanceOnce(current, all);
            if (!pass.continueAtOnce()) {
                return pass.after();
            }
            if (passes == MAX_STEPS_PER_CALL) {
                return Optional.of(AGAIN_SOON);
            }
            current = pass.latest();
        }
    }

    /** One step's outcome and the request as last stored. */
    private record Pass(Optional<Duration> after, ProxySQLOpsRequest latest) {
        boolean continueAtOnce() {
            return after.isPresent() && after.get().isZero();
        }
    }

    private Pass advanceOnce(ProxySQLOpsRequest r, Collection<ProxySQLOpsRequest> all) {
        OpsRequestStatus status = r.getStatus() == null ? new OpsRequestStatus() : r.getStatus();
        r.setStatus(status);
        if (status.getPhase() != null && status.getPhase().isFinal()) {
            writer.removeFinalizer(r);
            return new Pass(Optional.empty(), r);
        }
        if (status.getProgress() == null) {
            OpsProgress progress = new OpsProgress();
            progress.setStep(OpsStep.QUEUED);
            status.setProgress(progress);
        }
        Operation op = validator.operation(r);
        if (op == null) {
            return new Pass(finish(r, null, StepDecisions.unsupported(OpsValidator.unsupported(r))), r);
        }
        OpsRun run = new OpsRun(r, op, validator.proxysql(r), all, writer, clock, started, settings.defaultTimeout());
        OpsStep step = status.getProgress().getStep();
        try {
            Optional<StepOutcome.Finish> gone = StepDecisions.proxysqlGone(step, run.proxysql() != null, r.getSpec().getProxyRef().getName());
            if (gone.isPresent()) {
                return new Pass(finish(r, op, gone.get()), r);
            }
            if (step == OpsStep.DONE) {
                return new Pass(Optional.empty(), r);
            }
            Optional<Pass> bounded = deadline(run, step);
            if (bounded.isPresent()) {
                return bounded.get();
            }
            Step<?> impl = steps.get(step);
            if (impl == null) {
                throw new IllegalStateException("no step " + EnumNames.of(step) + " is registered (request " + run.ref() + ")");
            }
            Optional<Duration> next = carryOut(run, Step.take(impl, run));
            failingSince.remove(r.getMetadata().getUid());
            return new Pass(next, run.request());
        } catch (StatusRefused e) {
            return new Pass(statusRefused(r, op, step, e), r);
        } catch (KubernetesClientException e) {
            return new Pass(refused(r, op, step, e), r);
        }
    }

    /**
     * The request's deadline ({@link RequestDeadline}), checked before its step: passed, the request fails as a step
     * that timed out would; passed while this operator was not running, it is moved once and the step goes on.
     */
    private Optional<Pass> deadline(OpsRun run, OpsStep step) {
        OpsProgress progress = run.progress();
        RequestDeadline.Verdict verdict = RequestDeadline.check(step, progress.getDeadline(), Boolean.TRUE.equals(progress.getDeadlineExtended()),
                started, Instant.now(clock), run.timeout(), progress.getTimeBudget());
        if (verdict instanceof RequestDeadline.Extend e) {
            LOG.info("ProxySQLOpsRequest {}: its deadline {} passed while the operator was not running; moved once, to {}", run.ref(),
                    progress.getDeadline(), e.until());
            RequestDeadline.extend(progress, e.until());
            run.save();
            return Optional.of(new Pass(Optional.of(Duration.ZERO), run.request()));
        }
        if (verdict instanceof RequestDeadline.Expired x) {
            return Optional.of(new Pass(carryOut(run, StepResult.of(RequestDeadline.outcome(step, run.changesTemplate(), x.reason()))),
                    run.request()));
        }
        return Optional.empty();
    }

    /** What a step asked for: when to look again, or a transition made here. */
    private Optional<Duration> carryOut(OpsRun run, StepResult result) {
        if (result instanceof StepResult.Poll) {
            return Optional.of(settings.poll());
        }
        if (result instanceof StepResult.Continue) {
            return Optional.of(Duration.ZERO);
        }
        if (result instanceof StepResult.After a) {
            return Optional.of(a.after());
        }
        if (result instanceof StepResult.Idle) {
            return Optional.empty();
        }
        if (result instanceof StepResult.Failed f) {
            return fail(run, f.fail());
        }
        if (result instanceof StepResult.RollbackFailed f) {
            return rollbackFailed(run, f.reason());
        }
        return finish(run.request(), run.op(), ((StepResult.Finished) result).finish());
    }

    // --- refusals ------------------------------------------------------------------------------------------------

    /**
     * A write the API server keeps refusing (a 500 from a webhook, a policy denying an eviction, a conflict that never
     * clears) must not leave the request Progressing with its ProxySQL paused once the framework stops retrying; see
     * {@link StepDecisions#refused}. The count of refusals in a row is in memory: an operator restart starts it again.
     */
    private Optional<Duration> refused(ProxySQLOpsRequest stale, Operation op, OpsStep step, KubernetesClientException e) {
        String uid = stale.getMetadata().getUid();
        Instant now = Instant.now(clock);
        Duration failing = Duration.between(failingSince.computeIfAbsent(uid, k -> now), now);
        String what = "step " + EnumNames.of(step) + ": the API server refused a write (" + e.getCode() + "): "
                + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
        ProxySQLOpsRequest fresh = client.resources(ProxySQLOpsRequest.class).inNamespace(stale.getMetadata().getNamespace())
                .withName(stale.getMetadata().getName()).get();
        OpsRun run = fresh == null || fresh.getStatus() == null || fresh.getStatus().getProgress() == null ? null
                : new OpsRun(fresh, op, validator.proxysql(fresh), List.of(), writer, clock, started, settings.defaultTimeout());
        Optional<StepOutcome> decided = run == null ? Optional.empty()
                : StepDecisions.refused(run.progress().getStep(), run.changesTemplate(), what, failing, run.timeout());
        if (decided.isEmpty()) {
            Duration pause = StepDecisions.retryPause(failing);
            LOG.warn("ProxySQLOpsRequest {}/{}: {}; retrying in {} (refused for {} so far)", stale.getMetadata().getNamespace(),
                    stale.getMetadata().getName(), what, GoDuration.format(pause), GoDuration.format(failing));
            return Optional.of(pause);
        }
        failingSince.remove(uid);
        try {
            return carryOut(run, StepResult.of(decided.get()));
        } catch (StatusRefused refusedStatus) {
            return statusRefused(fresh, op, step, refusedStatus);
        }
    }

    /**
     * The API server refused the request's status as invalid (422), although every write is fitted to the API's
     * bounds first: nothing more can be recorded on this request, and retrying (as {@link #refused} does) would
     * leave its ProxySQL paused for good. So the ProxySQL is resumed at once, without a rollback (the provisioner,
     * no longer paused, puts the StatefulSet back to the ProxySQL's spec), unless the request never paused it (still
     * Queued), and the request ends Failed with the least status that can be stored: its step, why, and the
     * {@code Failed} condition.
     */
    private Optional<Duration> statusRefused(ProxySQLOpsRequest stale, Operation op, OpsStep step, StatusRefused e) {
        ProxySQLOpsRequest fresh = client.resources(ProxySQLOpsRequest.class).inNamespace(stale.getMetadata().getNamespace())
                .withName(stale.getMetadata().getName()).get();
        if (fresh == null) {
            return Optional.empty();
        }
        OpsStep stored = fresh.getStatus() == null || fresh.getStatus().getProgress() == null ? OpsStep.QUEUED
                : fresh.getStatus().getProgress().getStep();
        if (stored == OpsStep.DONE) {
            return Optional.empty();
        }
        ProxySQL proxysql = validator.proxysql(fresh);
        boolean resume = stored != OpsStep.QUEUED && proxysql != null && PauseProtocol.isPaused(proxysql);
        if (resume) {
            writer.resume(fresh, proxysql);
        }
        String why = "step " + EnumNames.of(step) + ": the API server refused the request's status as invalid (" + e.getCode() + "): "
                + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage())
                + (resume ? "; the ProxySQL was resumed without a rollback" : "; the ProxySQL is not paused");
        LOG.warn("ProxySQLOpsRequest {}/{}: {}", fresh.getMetadata().getNamespace(), fresh.getMetadata().getName(), why);
        OpsRequestStatus least = new OpsRequestStatus();
        OpsProgress progress = new OpsProgress();
        progress.setStep(stored);
        progress.setFailure(Conditions.cut(why, Condition.MAX_MESSAGE));
        least.setProgress(progress);
        fresh.setStatus(least);
        return finish(fresh, op, StepOutcome.Finish.failed(why));
    }

    // --- transitions ---------------------------------------------------------------------------------------------

    private Optional<Duration> fail(OpsRun run, StepOutcome.Fail f) {
        if (run.progress().getFailure() == null) {
            run.progress().setFailure(f.reason());
        }
        if (run.deleting()) {
            run.progress().setCancelled(true);
        }
        run.condition(run.op().conditionType(), false, run.op().conditionType().failed(), f.reason());
        run.note(Operation.Moment.FAILED);
        RequestDeadline.restartForRollback(run.progress(), Instant.now(clock));
        run.to(f.next());
        run.save();
        writer.warning(run.request(), OpsReason.FAILED, f.reason() + (f.next() == OpsStep.RESUMING ? "; resuming" : "; rolling back"));
        return Optional.of(Duration.ZERO);
    }

    private Optional<Duration> rollbackFailed(OpsRun run, String reason) {
        run.progress().setRollbackFailure(reason);
        run.condition(ConditionType.ROLLBACK, false, OpsReason.ROLLBACK_FAILED, reason);
        run.to(OpsStep.RESUMING);
        run.save();
        writer.warning(run.request(), OpsReason.ROLLBACK_FAILED, reason);
        return Optional.of(Duration.ZERO);
    }

    /** Writes the final phase (the ProxySQL is already resumed or was never paused) and releases the finalizer. */
    private Optional<Duration> finish(ProxySQLOpsRequest r, Operation op, StepOutcome.Finish outcome) {
        failingSince.remove(r.getMetadata().getUid());
        String success = outcome.success();
        String failure = outcome.failure();
        OpsRequestStatus s = r.getStatus();
        long gen = r.getMetadata().getGeneration();
        s.getProgress().setStep(OpsStep.DONE);
        s.setObservedGeneration(gen);
        if (failure == null) {
            s.setPhase(OpsRequestPhase.SUCCESSFUL);
            if (op != null && Conditions.find(s.getConditions(), op.conditionType().value()).isEmpty()) {
                OpsConditions.set(s, op.conditionType(), true, op.conditionType().succeeded(), success, gen, clock);
            }
            OpsConditions.set(s, ConditionType.SUCCESSFUL, true, OpsReason.SUCCESSFUL.value(), success, gen, clock);
        } else {
            s.setPhase(OpsRequestPhase.FAILED);
            OpsConditions.set(s, ConditionType.FAILED, true, OpsReason.FAILED.value(), failure, gen, clock);
        }
        ProxySQLOpsRequest saved = writer.saveStatus(r);
        metrics.finished(EnumNames.of(r.getSpec().getType()), s.getPhase() == OpsRequestPhase.SUCCESSFUL ? "Successful" : "Failed");
        if (failure == null) {
            writer.normal(saved, OpsReason.SUCCESSFUL, success);
        } else {
            writer.warning(saved, OpsReason.FAILED, failure);
        }
        LOG.info("ProxySQLOpsRequest {}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(),
                failure == null ? "Successful: " + success : "Failed: " + failure);
        // After the final phase: until then the request still counts as running for one that wants the ProxySQL next.
        if (r.getSpec().getProxyRef() != null) {
            writer.releaseOwnership(saved);
        }
        writer.removeFinalizer(saved);
        String uid = r.getMetadata().getUid();
        steps.values().forEach(s2 -> s2.forget(uid));
        return Optional.empty();
    }
}
