package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.kube.GoDuration;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.opsmanager.checks.ProxySQLLevelCheck;
import dev.proxysql.operator.opsmanager.rolling.Action;
import dev.proxysql.operator.opsmanager.rolling.Decision;
import dev.proxysql.operator.opsmanager.rolling.ObservedPod;
import dev.proxysql.operator.opsmanager.rolling.PodState;
import dev.proxysql.operator.opsmanager.rolling.RollPlan;
import dev.proxysql.operator.opsmanager.rolling.RollSettings;
import dev.proxysql.operator.opsmanager.rolling.RollTarget;
import dev.proxysql.operator.opsmanager.rolling.RollbackPlan;
import dev.proxysql.operator.opsmanager.rolling.RollingReplacement;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.opsmanager.scaling.MemberPlan;
import dev.proxysql.operator.opsmanager.types.Operation;
import dev.proxysql.operator.topology.PauseProtocol;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops-request state machine (see {@link OpsStep}), split the way the step is carried out: <b>observe</b> (read
 * the request's ProxySQL and StatefulSet once into a {@link StepView}), <b>decide</b> ({@link StepDecisions}, and
 * {@code rolling/} for the pods: pure functions), <b>act</b> ({@link OpsEffects}, the only place that writes). Each
 * call advances one request by at most one side effect, and <b>writes the new status first</b>, then acts: an
 * operator killed at any line (the crash test stops it at every {@link StopPoints stop point}) finds, on restart,
 * either the old step (and repeats an idempotent action) or the new one. The ProxySQL is resumed before any final
 * phase is written, so a Successful, Failed or Skipped request never leaves it paused.
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
    private final ProxySQLLevelCheck check;
    private final OpsSettings settings;
    private final Clock clock;
    private final OpsMetrics metrics;
    private final OpsEffects effects;
    private final PodObserver pods;
    private final ProxySQLReleases releases;
    private final TemplateRenderer renderer;
    /** The Reconfigure steps (ReconfiguringPods, RollingBackReconfigure), which replace no pod. */
    private final ReconfigureSteps reconfigure;
    /** HorizontalScaling's steps (ScalingMembers, RollingBackMembers): members added or removed one pod at a time. */
    private final MemberScalingSteps scalingSteps;
    /** The ReconfigureTLS rotation step (RotatingCertificates), which replaces no pod. */
    private final TlsRotationSteps tlsRotation;
    /** The RotateAuth steps (RotatingAuth, RollingBackAuth), which replace no pod either. */
    private final RotateAuthSteps rotateAuth;
    /** When this operator process started: waits are not counted from earlier (see {@code Run.stepTimedOut}). */
    private final Instant started;
    /**
     * Refused evictions already reported by an Event, as request UID / pod UID: the engine retries a refused eviction
     * every poll and one Warning per pod is enough. Memory only, on purpose: after a restart the worst case is one more
     * Event, and nothing is decided from it.
     */
    private final Set<String> refusalsReported = ConcurrentHashMap.newKeySet();
    /** Since when each request's steps have been refused by the API server without a break (see {@link #refused}). */
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    public OpsStateMachine(KubernetesClient client, Map<String, Operation> operations, ProxySQLLevelCheck check,
                           OpsSettings settings, Clock clock, String fieldManager, OpsMetrics metrics) {
        this(client, operations, check, settings, clock, fieldManager, metrics, StopPoints.NONE);
    }

    /** {@code stops}: where a crash test may stop the operator ({@link StopPoints#NONE} outside tests). */
    public OpsStateMachine(KubernetesClient client, Map<String, Operation> operations, ProxySQLLevelCheck check,
                           OpsSettings settings, Clock clock, String fieldManager, OpsMetrics metrics, StopPoints stops) {
        this.client = client;
        this.validator = new OpsValidator(client, operations);
        this.check = check;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.effects = new OpsEffects(client, fieldManager, clock, stops);
        this.pods = new PodObserver(client);
        this.releases = new ProxySQLReleases(client);
        this.renderer = new TemplateRenderer(client);
        this.started = Instant.now(clock);
        this.reconfigure = new ReconfigureSteps(this);
        this.scalingSteps = new MemberScalingSteps(this, new MemberScaling(client, effects, renderer, check, clock), releases);
        this.tlsRotation = new TlsRotationSteps(this);
        this.rotateAuth = new RotateAuthSteps(this);
    }

    OpsMetrics metrics() {
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
        for (int steps = 1; ; steps++) {
            Pass pass = advanceOnce(current, all);
            if (!pass.continueAtOnce()) {
                return pass.after();
            }
            if (steps == MAX_STEPS_PER_CALL) {
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
            effects.removeFinalizer(r);
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
        Run run = new Run(r, op, validator.proxysql(r));
        OpsStep step = status.getProgress().getStep();
        try {
            StepView view = observe(run, all);
            Optional<StepOutcome.Finish> gone = StepDecisions.proxysqlGone(view);
            if (gone.isPresent()) {
                return new Pass(finish(r, op, gone.get()), r);
            }
            Optional<Duration> next = step(run, view);
            failingSince.remove(r.getMetadata().getUid());
            return new Pass(next, run.r);
        } catch (KubernetesClientException e) {
            return new Pass(refused(r, op, step, e), r);
        }
    }

    // --- observe -------------------------------------------------------------------------------------------------

    /** Reads what the request's step needs to decide, once. */
    private StepView observe(Run run, Collection<ProxySQLOpsRequest> all) {
        OpsStep step = run.progress().getStep();
        ProxySQL p = run.proxysql;
        boolean rollback = step == OpsStep.ROLLING_BACK_STATEFUL_SET || step == OpsStep.ROLLING_BACK_PODS;
        boolean needsStatefulSet = switch (step) {
            case PAUSING, UPDATING_STATEFUL_SET, REPLACING_PODS, ROLLING_BACK_STATEFUL_SET, ROLLING_BACK_PODS -> true;
            case SCALING_MEMBERS, ROLLING_BACK_MEMBERS -> true;
            case QUEUED, UPDATING_DATABASE, RESUMING, DONE, RECONFIGURING_PODS, ROLLING_BACK_RECONFIGURE, ROTATING_CERTIFICATES,
                    ROTATING_AUTH, ROLLING_BACK_AUTH -> false;
        };
        run.sts = p != null && needsStatefulSet ? statefulSet(p) : null;
        if (p != null && (step == OpsStep.UPDATING_STATEFUL_SET || step == OpsStep.ROLLING_BACK_STATEFUL_SET)) {
            // The template to roll to (or back to): the provisioner's rendering of the spec the request leaves (or found).
            run.rendered = renderer.render(rollback ? p : run.op.target(run.r, p));
        }
        TemplateChange change = rollback ? run.previousChange() : run.targetChange();
        boolean droppedTarget = step == OpsStep.UPDATING_STATEFUL_SET && run.progress().getTargetResources() == null
                && run.op.changesResources();
        String renderProblem = run.rendered == null || run.rendered.ok() ? null : run.rendered.problem();
        Optional<String> blocker = step != OpsStep.QUEUED || p == null ? Optional.empty()
                : OpsQueue.blocker(run.r, all).map(b -> b.getMetadata().getName());
        return new StepView(step, run.deleting(), run.r.getSpec().getProxyRef().getName(), p != null,
                p == null || p.getStatus() == null ? null : p.getStatus().getPhase(),
                p != null && PauseProtocol.isPaused(p), p != null && PauseProtocol.isAcknowledged(p),
                p == null ? null : ProxySQLNames.statefulSet(p), run.sts != null,
                run.sts != null && run.rendered != null && run.rendered.ok() && StatefulSetTemplate.has(run.sts, change),
                run.sts != null && StatefulSetTemplate.observed(run.sts), change.describe(), run.changesTemplate(), droppedTarget,
                renderProblem, run.progress().getStepStartedAt() != null, run.stepTimedOut(), run.timeoutText(), run.r.getSpec().getApply(),
                blocker);
    }

    // --- decide and act, per step --------------------------------------------------------------------------------

    private Optional<Duration> step(Run run, StepView view) {
        return switch (view.step()) {
            case QUEUED -> queued(run, StepDecisions.queued(view, () -> validator.validate(run.r, run.proxysql)));
            case PAUSING -> pausing(run, StepDecisions.pausing(view));
            case UPDATING_STATEFUL_SET -> updatingStatefulSet(run, StepDecisions.updatingStatefulSet(view));
            case REPLACING_PODS -> replacingPods(run, StepDecisions.replacingPods(view, false), false);
            case UPDATING_DATABASE -> updatingDatabase(run);
            case ROLLING_BACK_STATEFUL_SET -> rollingBackStatefulSet(run, StepDecisions.rollingBackStatefulSet(view));
            case ROLLING_BACK_PODS -> replacingPods(run, StepDecisions.replacingPods(view, true), true);
            case RESUMING -> resuming(run);
            case RECONFIGURING_PODS -> reconfigure.reconfiguringPods(run);
            case ROLLING_BACK_RECONFIGURE -> reconfigure.rollingBack(run);
            case SCALING_MEMBERS -> scalingSteps.scalingMembers(run, StepDecisions.scalingMembers(view, false), false);
            case ROLLING_BACK_MEMBERS -> scalingSteps.scalingMembers(run, StepDecisions.scalingMembers(view, true), true);
            case ROTATING_CERTIFICATES -> tlsRotation.rotating(run);
            case ROTATING_AUTH -> rotateAuth.rotating(run);
            case ROLLING_BACK_AUTH -> rotateAuth.rollingBack(run);
            case DONE -> Optional.empty();
        };
    }

    private Optional<Duration> queued(Run run, StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Forget) {
            effects.removeFinalizer(run.r);
            return Optional.empty();
        }
        if (outcome instanceof StepOutcome.Queued q) {
            return pending(run, q);
        }
        if (outcome instanceof StepOutcome.Finish f) {
            if (f.success() != null) {
                run.condition(run.op.conditionType(), true, OpsReason.NOTHING_TO_DO.value(), f.success());
            }
            return finish(run.r, run.op, f);
        }
        run.r = effects.addFinalizer(run.r);
        run.status().setPhase(OpsRequestPhase.PROGRESSING);
        run.progress().setFromVersion(run.proxysql.getSpec().getVersion());
        run.progress().setToVersion(run.op.targetVersionName(run.r, run.proxysql));
        run.condition(OpsConditions.RUNNING, true, OpsReason.RUNNING, "Controller has started to Progress the ProxySQLOpsRequest: " + run.ref());
        Conditions.find(run.status().getConditions(), OpsConditions.QUEUED).ifPresent(q ->
                run.condition(OpsConditions.QUEUED, false, OpsReason.STARTED, "the request left the queue"));
        run.to(OpsStep.PAUSING);
        run.save();
        effects.normal(run.r, OpsReason.STARTING, "Started processing " + typeName(run.r) + " of ProxySQL " + run.proxysql.getMetadata().getName());
        return now();
    }

    private Optional<Duration> pending(Run run, StepOutcome.Queued q) {
        boolean changed = run.status().getPhase() != OpsRequestPhase.PENDING
                || Conditions.find(run.status().getConditions(), OpsConditions.QUEUED).map(c -> !q.message().equals(c.getMessage())).orElse(true);
        if (q.timed() && run.progress().getStepStartedAt() == null) {
            run.progress().setStepStartedAt(Conditions.now(clock));
            changed = true;
        } else if (!q.timed() && run.progress().getStepStartedAt() != null) {
            run.progress().setStepStartedAt(null);
            changed = true;
        }
        if (changed) {
            run.status().setPhase(OpsRequestPhase.PENDING);
            run.condition(OpsConditions.QUEUED, true, q.reason(), q.message());
            run.save();
        }
        return Optional.of(Duration.ofSeconds(2));
    }

    private Optional<Duration> pausing(Run run, StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Pause) {
            effects.normal(run.r, OpsReason.PAUSE_DATABASE, "Pausing ProxySQL database: " + run.proxysql.getMetadata().getNamespace() + "/"
                    + run.proxysql.getMetadata().getName());
            effects.pause(run.r, run.proxysql);
            return poll();
        }
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return otherwise(run, outcome);
        }
        // What the pods will run, and what to roll back to, recorded before the template changes: the images and changed
        // resources of the provisioner's rendering of the spec the request leaves, and those of the template itself.
        TemplateRenderer.Rendered target = renderer.render(run.op.target(run.r, run.proxysql));
        if (!target.ok()) {
            return fail(run, new StepOutcome.Fail("step Pausing: cannot render the StatefulSet the request leads to: " + target.problem(),
                    OpsStep.RESUMING));
        }
        Map<String, String> images = StatefulSetTemplate.images(target.statefulSet());
        run.progress().setTargetImages(images);
        run.progress().setPreviousImages(valuesOf(images.keySet(), StatefulSetTemplate.images(run.sts)));
        Map<String, ResourceRequirements> live = StatefulSetTemplate.resources(run.sts);
        Map<String, ResourceRequirements> changed = new LinkedHashMap<>();
        StatefulSetTemplate.resources(target.statefulSet()).forEach((container, resources) -> {
            if (!live.containsKey(container) || !ResourceQuantities.same(resources, live.get(container))) {
                changed.put(container, resources);
            }
        });
        if (!changed.isEmpty()) {
            run.progress().setTargetResources(changed);
            run.progress().setPreviousResources(valuesOf(changed.keySet(), live));
        }
        Map<String, String> liveAnnotations = run.sts.getSpec().getTemplate().getMetadata().getAnnotations();
        Map<String, String> previousAnnotations = valuesOf(run.op.templateAnnotations(run.r, run.proxysql).keySet(),
                liveAnnotations == null ? Map.of() : liveAnnotations);
        if (!previousAnnotations.isEmpty()) {
            run.progress().setPreviousAnnotations(previousAnnotations);
        }
        run.condition(OpsConditions.PAUSE_DATABASE, true, OpsReason.DATABASE_PAUSE_SUCCEEDED, "Successfully paused ProxySQL "
                + run.proxysql.getMetadata().getName() + "; the provisioner acknowledged it");
        OpsStep next = run.op.stepAfterPause(run.r);
        if (next == OpsStep.SCALING_MEMBERS) {
            // HorizontalScaling: the members to add or remove, one pod at a time, instead of a template change.
            int from = ProxySQLNames.replicas(run.proxysql);
            int to = ProxySQLNames.replicas(run.op.target(run.r, run.proxysql));
            run.progress().setFromReplicas(from);
            run.progress().setToReplicas(to);
            run.progress().setPods(MemberPlan.plan(ProxySQLNames.statefulSet(run.proxysql), from, to));
        }
        run.to(next);
        run.save();
        effects.normal(run.r, OpsReason.PAUSE_DATABASE, "Successfully paused ProxySQL database: " + run.proxysql.getMetadata().getName());
        return now();
    }

    private Optional<Duration> updatingStatefulSet(Run run, StepOutcome outcome) {
        TemplateChange change = run.targetChange();
        if (outcome instanceof StepOutcome.ApplyTemplate) {
            // The type's own conditions (ReconfigureTLS's AddTLS, Issuing...) are saved before the writes they announce.
            if (run.note(Operation.Moment.TEMPLATE_CHANGE_STARTS)) {
                run.save();
                return now();
            }
            // What the new template needs (ReconfigureTLS's certificates) first; until then the template waits.
            if (effects.prepareTemplate(run.r, run.op, run.proxysql).isPresent()) {
                return poll();
            }
            if (run.note(Operation.Moment.TEMPLATE_PREPARED)) {
                run.save();
                return now();
            }
            Optional<String> refused = applyTemplate(run, change);
            return refused.isPresent()
                    ? fail(run, StepDecisions.fail(run.changesTemplate(), "step UpdatingStatefulSet: the API server refused the new pod template: "
                    + refused.get(), OpsStep.ROLLING_BACK_STATEFUL_SET))
                    : poll();
        }
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return otherwise(run, outcome);
        }
        RollTarget target = new RollTarget(run.sts.getStatus().getUpdateRevision(), run.progress().getTargetImages());
        run.progress().setPods(RollPlan.plan(pods.observe(run.proxysql).values(), target, change.describe()));
        run.condition(OpsConditions.UPDATE_STATEFUL_SETS, true, OpsReason.UPDATE_STATEFUL_SETS_SUCCEEDED, "Updated the pod template of StatefulSet "
                + run.sts.getMetadata().getName() + " (revision " + target.revision() + "): " + change.describe()
                + "; " + run.progress().getPods().size() + " pod(s) to replace");
        run.to(OpsStep.REPLACING_PODS);
        run.save();
        return now();
    }

    private Optional<Duration> replacingPods(Run run, StepOutcome outcome, boolean rollback) {
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return otherwise(run, outcome);
        }
        StatefulSet sts = run.sts;
        Map<String, String> images = rollback ? run.progress().getPreviousImages() : run.progress().getTargetImages();
        RollTarget target = new RollTarget(sts.getStatus().getUpdateRevision(), images);
        // The check always runs through the engine: when ProxySQL-level checks are off, ProxySQLLevelCheck.skipped()
        // passes it and the pod's CheckPodReady condition says so.
        RollSettings rs = new RollSettings(sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas(), run.timeout(),
                run.r.getSpec().getMaxRetries() == null ? 1 : run.r.getSpec().getMaxRetries(), started);
        Instant now = Instant.now(clock);
        String persisted = Serialization.asJson(run.progress().getPods());
        Map<String, ObservedPod> observed = pods.observe(run.proxysql);
        Decision d = RollingReplacement.next(run.progress().getPods(), observed, target, rs, now);
        for (int checks = 0; d.action() instanceof Action.Verify verify && checks < observed.size() + 1; checks++) {
            VerifyResult result = check.verify(run.proxysql, verify.pod(), releases.of(rollback ? run.progress().getFromVersion()
                    : run.progress().getToVersion()));
            run.condition(OpsConditions.checkPodReady(verify.pod()), result.passed(),
                    result.passed() ? OpsReason.POD_READY : result.pending() ? OpsReason.CHECK_PENDING : OpsReason.CHECK_FAILED,
                    "pod " + verify.pod() + " is Ready on revision " + target.revision() + "; " + result.message());
            d = RollingReplacement.verified(d.progress(), verify, result, rs, now);
            if (result.passed() && d.action() instanceof Action.Wait) {
                // The pod is Done and the engine names the next one: decide its step from the same observation, so
                // that its eviction is saved together with this pod's result instead of waiting for another pass.
                d = RollingReplacement.next(d.progress(), observed, target, rs, now);
            }
        }
        int replaced = newlyReplaced(run.progress().getPods(), d.progress());
        run.progress().setPods(d.progress());
        Optional<Duration> next = act(run, d.action(), rollback, target, !persisted.equals(Serialization.asJson(d.progress())));
        // Counted once saved: a pass decided on a stale cache ends in a conflict (an exception) and is decided again.
        metrics.replaced(typeName(run.r), rollback, replaced);
        return next;
    }

    /** Pods that were evicted by this request and are now Done (not those found already on target). */
    private static int newlyReplaced(List<PodProgress> before, List<PodProgress> after) {
        Map<String, String> was = before == null ? Map.of() : before.stream()
                .collect(Collectors.toMap(PodProgress::getName, p -> String.valueOf(p.getState()), (a, b) -> a));
        return (int) after.stream().filter(p -> PodState.DONE.value().equals(p.getState()) && p.getEvictedUid() != null
                && !PodState.DONE.value().equals(was.get(p.getName()))).count();
    }

    /** Carries out the rolling engine's decision for the pods. */
    private Optional<Duration> act(Run run, Action action, boolean rollback, RollTarget target, boolean progressChanged) {
        if (action instanceof Action.Evict evict) {
            run.condition(OpsConditions.evictPod(evict.pod()), true, rollback ? OpsReason.EVICT_POD_FOR_ROLLBACK : OpsReason.EVICT_POD,
                    "evict pod " + evict.pod() + " (uid " + evict.uid() + "): " + evict.reason());
            run.save();
            evict(run, evict);
            return poll();
        }
        if (action instanceof Action.Complete) {
            if (rollback) {
                run.condition(OpsConditions.ROLLBACK, true, OpsReason.ROLLBACK_SUCCEEDED, "every pod is back on revision " + target.revision()
                        + " (" + run.previousChange().describe() + ")");
                run.to(OpsStep.RESUMING);
            } else {
                run.condition(OpsConditions.RESTART_PODS, true, OpsReason.RESTART_PODS_SUCCEEDED, "every pod was replaced and checked");
                run.note(Operation.Moment.PODS_REPLACED);
                run.to(OpsStep.UPDATING_DATABASE);
            }
            run.save();
            return now();
        }
        if (action instanceof Action.Fail fail) {
            return rollback ? rollbackFailed(run, fail.reason())
                    : fail(run, StepDecisions.fail(run.changesTemplate(), "step ReplacingPods" + (fail.pod() == null ? "" : ", pod " + fail.pod()) + ": "
                    + fail.reason(), OpsStep.ROLLING_BACK_STATEFUL_SET));
        }
        // Wait: persist progress changes (a pod's clock starting, a check result), not the countdown.
        if (progressChanged) {
            run.save();
        }
        return poll();
    }

    private void evict(Run run, Action.Evict evict) {
        String ns = run.proxysql.getMetadata().getNamespace();
        String refusal = run.r.getMetadata().getUid() + "/" + evict.uid();
        switch (effects.evict(run.r, ns, evict.pod(), evict.uid())) {
            case EVICTED -> {
                metrics.evicted();
                refusalsReported.remove(refusal);
                // Recorded after the eviction: the Event only reports, and the pod should not wait for it.
                effects.normal(run.r, OpsReason.RESTART_POD, "Restarting Pod: " + ns + "/" + evict.pod() + " (" + evict.reason() + ")");
            }
            case REFUSED -> {
                if (refusalsReported.add(refusal)) {
                    effects.warning(run.r, OpsReason.EVICTION_REFUSED, "Eviction of pod " + ns + "/" + evict.pod() + " refused (429: a "
                            + "PodDisruptionBudget allows no disruption now, or the API server is throttling); retrying until the "
                            + "step timeout (" + run.timeoutText() + ")");
                }
            }
            case GONE -> {
                // Already gone or replaced: the next observation of the pods tells which.
            }
        }
    }

    private Optional<Duration> updatingDatabase(Run run) {
        effects.updateDatabase(run.r, run.op, run.proxysql);
        run.condition(OpsConditions.UPDATE_DATABASE, true, OpsReason.UPDATE_DATABASE, run.op.successMessage(run.r, run.proxysql));
        run.to(OpsStep.RESUMING);
        run.save();
        return now();
    }

    private Optional<Duration> rollingBackStatefulSet(Run run, StepOutcome outcome) {
        TemplateChange back = run.previousChange();
        // What the previous template needs again (ReconfigureTLS: the original issuer's certificates) before the
        // template goes back and before any pod is replaced back, also when the template had not changed yet.
        if (outcome instanceof StepOutcome.ApplyTemplate || outcome instanceof StepOutcome.Proceed) {
            Optional<String> waiting = effects.prepareRollback(run.r, run.op, run.proxysql);
            if (waiting.isPresent()) {
                // Timed out here too: with the template already back (a failure before it changed), nothing else would.
                return run.stepTimedOut() ? rollbackFailed(run, "still " + waiting.get() + " after " + run.timeoutText()
                        + "; no pod was replaced back") : poll();
            }
        }
        if (outcome instanceof StepOutcome.ApplyTemplate) {
            Optional<String> refused = applyTemplate(run, back);
            if (refused.isPresent()) {
                return rollbackFailed(run, "the API server refused the previous pod template: " + refused.get());
            }
            effects.warning(run.r, OpsReason.ROLLBACK, "Rolling back StatefulSet " + run.sts.getMetadata().getName() + " to "
                    + back.describe() + " after: " + run.progress().getFailure());
            return poll();
        }
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return otherwise(run, outcome);
        }
        RollTarget target = new RollTarget(run.sts.getStatus().getUpdateRevision(), run.progress().getPreviousImages());
        run.progress().setPods(RollbackPlan.plan(pods.observe(run.proxysql).values(), target));
        run.condition(OpsConditions.ROLLBACK, true, OpsReason.ROLLBACK_STARTED, "rolling back to " + back.describe() + ": "
                + run.progress().getPods().size() + " pod(s) to replace back");
        run.to(OpsStep.ROLLING_BACK_PODS);
        run.save();
        return now();
    }

    private Optional<Duration> resuming(Run run) {
        if (run.op.stepAfterPause(run.r) == OpsStep.SCALING_MEMBERS) {
            // Whatever the scaling's outcome, every pod that is still there serves clients again: a rollback that failed
            // may have left a drained member out of the client Service, and nothing else would put it back.
            List<String> back = effects.act(run.r, "return every pod to the client Service", () -> pods.returnAllToClientService(run.proxysql));
            if (!back.isEmpty()) {
                effects.warning(run.r, OpsReason.HORIZONTAL_SCALE_DOWN, "Put pod(s) " + String.join(", ", back) + " of ProxySQL "
                        + run.proxysql.getMetadata().getName() + " back into the client Service " + ProxySQLNames.primaryService(run.proxysql)
                        + " (taken out for a scale-down that did not finish)");
            }
        }
        if (PauseProtocol.isPaused(run.proxysql)) {
            effects.normal(run.r, OpsReason.RESUME_DATABASE, "Resuming ProxySQL database: " + run.proxysql.getMetadata().getName());
            effects.resume(run.r, run.proxysql);
        }
        run.condition(OpsConditions.RESUME_DATABASE, true, OpsReason.DATABASE_RESUME_SUCCEEDED, "Successfully resumed ProxySQL "
                + run.proxysql.getMetadata().getName());
        String failure = run.progress().getFailure();
        if (failure == null) {
            return finish(run.r, run.op, new StepOutcome.Finish(run.op.successMessage(run.r, run.proxysql), null));
        }
        OpsStep flow = run.op.stepAfterPause(run.r);
        if (flow == OpsStep.RECONFIGURING_PODS) {
            return finish(run.r, run.op, StepOutcome.Finish.failed(ReconfigureSteps.failureOutcome(run.status(), run.progress())));
        }
        if (flow == OpsStep.ROTATING_AUTH) {
            return finish(run.r, run.op, StepOutcome.Finish.failed(RotateAuthSteps.failureOutcome(run.status(), run.progress())));
        }
        boolean rolledBack = Conditions.find(run.status().getConditions(), OpsConditions.ROLLBACK)
                .filter(c -> OpsReason.ROLLBACK_SUCCEEDED.value().equals(c.getReason())).isPresent();
        if (flow == OpsStep.SCALING_MEMBERS) {
            return finish(run.r, run.op, StepOutcome.Finish.failed(MemberPlan.failureOutcome(failure, rolledBack,
                    run.progress().getRollbackFailure(), run.progress().getFromReplicas())));
        }
        return finish(run.r, run.op, StepOutcome.Finish.failed(StepDecisions.failureOutcome(failure, rolledBack,
                run.progress().getRollbackFailure(), run.changesImages(), run.progress().getFromVersion(), run.previousChange().describe())));
    }

    /** The outcomes every step handles alike: wait, fail, a failed rollback. */
    private Optional<Duration> otherwise(Run run, StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Wait) {
            return poll();
        }
        if (outcome instanceof StepOutcome.Fail f) {
            return fail(run, f);
        }
        if (outcome instanceof StepOutcome.RollbackFailed f) {
            return rollbackFailed(run, f.reason());
        }
        throw new IllegalStateException("step " + stepName(run.progress().getStep()) + " cannot carry out " + outcome);
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
        String what = "step " + stepName(step) + ": the API server refused a write (" + e.getCode() + "): "
                + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
        ProxySQLOpsRequest fresh = client.resources(ProxySQLOpsRequest.class).inNamespace(stale.getMetadata().getNamespace())
                .withName(stale.getMetadata().getName()).get();
        Run run = fresh == null || fresh.getStatus() == null || fresh.getStatus().getProgress() == null ? null
                : new Run(fresh, op, validator.proxysql(fresh));
        Optional<StepOutcome> decided = run == null ? Optional.empty() : StepDecisions.refused(run.progress().getStep(), run.changesTemplate(), what, failing, run.timeout());
        if (decided.isEmpty()) {
            Duration pause = StepDecisions.retryPause(failing);
            LOG.warn("ProxySQLOpsRequest {}/{}: {}; retrying in {} (refused for {} so far)", stale.getMetadata().getNamespace(),
                    stale.getMetadata().getName(), what, GoDuration.format(pause), GoDuration.format(failing));
            return Optional.of(pause);
        }
        failingSince.remove(uid);
        return otherwise(run, decided.get());
    }

    // --- transitions ---------------------------------------------------------------------------------------------

    private Optional<Duration> fail(Run run, StepOutcome.Fail f) {
        if (run.progress().getFailure() == null) {
            run.progress().setFailure(f.reason());
        }
        if (run.deleting()) {
            run.progress().setCancelled(true);
        }
        run.condition(run.op.conditionType(), false, run.op.conditionType() + "Failed", f.reason());
        run.note(Operation.Moment.FAILED);
        run.to(f.next());
        run.save();
        effects.warning(run.r, OpsReason.FAILED, f.reason() + (f.next() == OpsStep.RESUMING ? "; resuming" : "; rolling back"));
        return now();
    }

    private Optional<Duration> rollbackFailed(Run run, String reason) {
        run.progress().setRollbackFailure(reason);
        run.condition(OpsConditions.ROLLBACK, false, OpsReason.ROLLBACK_FAILED, reason);
        run.to(OpsStep.RESUMING);
        run.save();
        effects.warning(run.r, OpsReason.ROLLBACK_FAILED, reason);
        return now();
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
            if (op != null && Conditions.find(s.getConditions(), op.conditionType()).isEmpty()) {
                OpsConditions.set(s, op.conditionType(), true, op.conditionType() + "Succeeded", success, gen, clock);
            }
            OpsConditions.set(s, OpsConditions.SUCCESSFUL, true, OpsReason.SUCCESSFUL.value(), success, gen, clock);
        } else {
            s.setPhase(OpsRequestPhase.FAILED);
            OpsConditions.set(s, OpsConditions.FAILED, true, OpsReason.FAILED.value(), failure, gen, clock);
        }
        ProxySQLOpsRequest saved = effects.saveStatus(r);
        metrics.finished(typeName(r), s.getPhase() == OpsRequestPhase.SUCCESSFUL ? "Successful" : "Failed");
        if (failure == null) {
            effects.normal(saved, OpsReason.SUCCESSFUL, success);
        } else {
            effects.warning(saved, OpsReason.FAILED, failure);
        }
        LOG.info("ProxySQLOpsRequest {}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(),
                failure == null ? "Successful: " + success : "Failed: " + failure);
        effects.removeFinalizer(saved);
        String uid = r.getMetadata().getUid();
        refusalsReported.removeIf(k -> k.startsWith(uid + "/"));
        return Optional.empty();
    }

    // --- the request being advanced ------------------------------------------------------------------------------

    // --- what the steps classes (ReconfigureSteps, MemberScalingSteps, ...) need of the machine (package-private) ----

    OpsEffects effects() {
        return effects;
    }

    Clock clock() {
        return clock;
    }

    Instant started() {
        return started;
    }

    Optional<Duration> failRun(Run run, StepOutcome.Fail f) {
        return fail(run, f);
    }

    Optional<Duration> rollbackFailedRun(Run run, String reason) {
        return rollbackFailed(run, reason);
    }

    Optional<Duration> pollAgain() {
        return poll();
    }

    Optional<Duration> otherwiseRun(Run run, StepOutcome outcome) {
        return otherwise(run, outcome);
    }

    /** One request, its operation, its ProxySQL and StatefulSet as read at the start of this pass. */
    final class Run {
        ProxySQLOpsRequest r;
        final Operation op;
        final ProxySQL proxysql;
        StatefulSet sts;
        /** The rendered StatefulSet this pass rolls to (or back to), in the steps that change the template. */
        TemplateRenderer.Rendered rendered;

        Run(ProxySQLOpsRequest r, Operation op, ProxySQL proxysql) {
            this.r = r;
            this.op = op;
            this.proxysql = proxysql;
        }

        OpsProgress progress() {
            return r.getStatus().getProgress();
        }

        OpsRequestStatus status() {
            return r.getStatus();
        }

        void condition(String type, boolean value, OpsReason reason, String message) {
            condition(type, value, reason.value(), message);
        }

        void condition(String type, boolean value, String reason, String message) {
            OpsConditions.set(status(), type, value, reason, message, r.getMetadata().getGeneration(), clock);
        }

        /**
         * Records the operation's own conditions for {@code moment} ({@link Operation#conditionsAt}); whether any changed
         * (the caller saves).
         */
        boolean note(Operation.Moment moment) {
            boolean changed = false;
            for (Operation.Note n : op.conditionsAt(moment, r, proxysql)) {
                String status = n.status() ? dev.proxysql.operator.api.common.Condition.TRUE : dev.proxysql.operator.api.common.Condition.FALSE;
                boolean same = Conditions.find(status().getConditions(), n.type()).filter(c -> status.equals(c.getStatus())
                        && n.reason().equals(c.getReason()) && java.util.Objects.equals(n.message(), c.getMessage())).isPresent();
                if (!same) {
                    condition(n.type(), n.status(), n.reason(), n.message());
                    changed = true;
                }
            }
            return changed;
        }

        void to(OpsStep step) {
            progress().setStep(step);
            progress().setStepStartedAt(Conditions.now(clock));
        }

        void save() {
            r = effects.saveStatus(r);
        }

        boolean deleting() {
            return r.getMetadata().getDeletionTimestamp() != null;
        }

        Duration timeout() {
            String t = r.getSpec().getTimeout();
            return t == null ? settings.defaultTimeout() : GoDuration.parse(t);
        }

        /** The step timeout as the request would spell it: 5m0s. */
        String timeoutText() {
            return GoDuration.format(timeout());
        }

        /**
         * The step has waited longer than the timeout, counted from when it started or from when this operator process
         * started, whichever is later: the time the operator was not running does not count against a request, so a
         * restart never fails a step (or a rollback) that it gave no chance.
         */
        boolean stepTimedOut() {
            String stepStarted = progress().getStepStartedAt();
            if (stepStarted == null) {
                return false;
            }
            Instant from = Instant.parse(stepStarted).isBefore(started) ? started : Instant.parse(stepStarted);
            return Instant.now(clock).isAfter(from.plus(timeout()));
        }

        String ref() {
            return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
        }

        /** The change this request makes to the pod template, as recorded when it paused the ProxySQL. */
        TemplateChange targetChange() {
            return new TemplateChange(changedImages(progress().getTargetImages(), progress().getPreviousImages()),
                    progress().getTargetResources(), op.templateAnnotations(r, proxysql), rendered == null || !rendered.ok() ? null : rendered.statefulSet());
        }

        /**
         * The template as it was before this request changed it. A rollback puts the type's annotations back as they
         * were (recorded when pausing; a null value removes one the template did not have): kept, they would make the
         * rollback's template a revision of its own, and every pod, not only those already moved, would be replaced
         * onto it (for an issuer change, onto the new issuer's certificate).
         */
        TemplateChange previousChange() {
            Map<String, String> back = changesTemplate() ? TemplateChange.restoring(op.templateAnnotations(r, proxysql).keySet(),
                    progress().getPreviousAnnotations()) : Map.of();
            return new TemplateChange(changedImages(progress().getPreviousImages(), progress().getTargetImages()),
                    progress().getPreviousResources(), back, rendered == null || !rendered.ok() ? null : rendered.statefulSet());
        }

        /** The entries of {@code images} that differ from {@code other}'s: what a change of images is about. */
        private Map<String, String> changedImages(Map<String, String> images, Map<String, String> other) {
            Map<String, String> changed = new LinkedHashMap<>();
            if (images != null) {
                images.forEach((container, image) -> {
                    if (other == null || !image.equals(other.get(container))) {
                        changed.put(container, image);
                    }
                });
            }
            return changed;
        }

        boolean changesImages() {
            Map<String, String> prev = progress().getPreviousImages();
            Map<String, String> target = progress().getTargetImages();
            return target != null && !target.isEmpty() && prev != null
                    && target.entrySet().stream().anyMatch(e -> !e.getValue().equals(prev.get(e.getKey())));
        }

        boolean changesResources() {
            Map<String, ResourceRequirements> prev = progress().getPreviousResources();
            Map<String, ResourceRequirements> target = progress().getTargetResources();
            return target != null && !target.isEmpty() && prev != null
                    && target.entrySet().stream().anyMatch(e -> !ResourceQuantities.same(e.getValue(), prev.get(e.getKey())));
        }

        /**
         * Whether a failure must roll the template back: images or resources changed, or the pod spec otherwise
         * (ReconfigureTLS); a Restart's annotation is not.
         */
        boolean changesTemplate() {
            return changesImages() || changesResources() || op.changesPodSpec(r);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private StatefulSet statefulSet(ProxySQL p) {
        return client.apps().statefulSets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.statefulSet(p)).get();
    }

    /**
     * Changes the template; a refusal that trying again cannot fix comes back as its message: 400 or 422 (the API
     * server finds the template invalid), 403 (an admission policy or RBAC forbids it). Anything else (a conflict, a
     * timeout) is thrown and decided again.
     */
    private Optional<String> applyTemplate(Run run, TemplateChange change) {
        try {
            effects.changeTemplate(run.r, run.sts, change);
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 400 || e.getCode() == 403 || e.getCode() == 422) {
                return Optional.of(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
            }
            throw e;
        }
    }

    /** The entries of {@code current} for these containers, in their order (containers it lacks are left out). */
    private static <V> Map<String, V> valuesOf(Collection<String> containers, Map<String, V> current) {
        return containers.stream().filter(current::containsKey)
                .collect(Collectors.toMap(k -> k, current::get, (a, b) -> a, LinkedHashMap::new));
    }

    private Optional<Duration> poll() {
        return Optional.of(settings.poll());
    }

    /** The step saved its status and the next one can follow at once (see {@link #advance}). */
    private static Optional<Duration> now() {
        return Optional.of(Duration.ZERO);
    }

    private static String typeName(ProxySQLOpsRequest r) {
        return EnumNames.of(r.getSpec().getType());
    }

    private static String stepName(OpsStep step) {
        return EnumNames.of(step);
    }
}
