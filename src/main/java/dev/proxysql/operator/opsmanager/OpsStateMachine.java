package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.kube.EventRecorder;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops-request state machine (see {@link OpsStep}). Each call advances one request by at most one side effect:
 * it decides from the persisted status and freshly read state, <b>writes the new status first</b>, then acts. An
 * operator killed at any line therefore finds, on restart, either the old step (and repeats an idempotent action)
 * or the new one. The ProxySQL is resumed before any final phase is written, so a Successful, Failed or Skipped
 * request never leaves it paused.
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
    private final EventRecorder events;
    private final OpsMetrics metrics;
    private final RequestStore store;
    private final ProxySQLPause pause;
    private final PodObserver pods;
    private final StatefulSetTemplate template;
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
        this.client = client;
        this.validator = new OpsValidator(client, operations);
        this.check = check;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.events = new EventRecorder(client, fieldManager, clock);
        this.store = new RequestStore(client);
        this.pause = new ProxySQLPause(client, fieldManager, clock);
        this.pods = new PodObserver(client);
        this.template = new StatefulSetTemplate(client);
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
            store.removeFinalizer(r);
            return new Pass(Optional.empty(), r);
        }
        if (status.getProgress() == null) {
            OpsProgress progress = new OpsProgress();
            progress.setStep(OpsStep.QUEUED);
            status.setProgress(progress);
        }
        Operation op = validator.operation(r);
        if (op == null) {
            return new Pass(finish(r, null, null, OpsValidator.unsupported(r) + "; nothing was changed"), r);
        }
        Run run = new Run(r, op, validator.proxysql(r));
        OpsStep step = status.getProgress().getStep();
        if (run.proxysql == null && step != OpsStep.QUEUED && step != OpsStep.DONE) {
            return new Pass(finish(r, op, null, "ProxySQL " + r.getSpec().getProxyRef().getName() + " was deleted while the request was in step "
                    + stepName(step) + "; nothing is left to resume"), r);
        }
        try {
            Optional<Duration> next = step(run, step, all);
            failingSince.remove(r.getMetadata().getUid());
            return new Pass(next, run.r);
        } catch (KubernetesClientException e) {
            return new Pass(refused(r, op, step, e), r);
        }
    }

    /**
     * A write the API server keeps refusing (a 500 from a webhook, a policy denying an eviction, a conflict that never
     * clears) must not leave the request Progressing with its ProxySQL paused once the framework stops retrying. It is
     * retried here with a doubling pause (1 s up to 30 s) for as long as the step timeout, counted from the first
     * refusal in a row (in memory: an operator restart starts the count again); then the request fails, and rolls back
     * and resumes as far as the step allows. Resuming itself is retried for ever: there is nothing else to do.
     */
    private Optional<Duration> refused(ProxySQLOpsRequest stale, Operation op, OpsStep step, KubernetesClientException e) {
        String uid = stale.getMetadata().getUid();
        Instant now = Instant.now(clock);
        Instant since = failingSince.computeIfAbsent(uid, k -> now);
        Duration failing = Duration.between(since, now);
        String what = "step " + stepName(step) + ": the API server refused a write (" + e.getCode() + "): "
                + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
        ProxySQLOpsRequest fresh = client.resources(ProxySQLOpsRequest.class).inNamespace(stale.getMetadata().getNamespace())
                .withName(stale.getMetadata().getName()).get();
        Run run = fresh == null || fresh.getStatus() == null || fresh.getStatus().getProgress() == null ? null
                : new Run(fresh, op, validator.proxysql(fresh));
        if (run == null || failing.compareTo(run.timeout()) < 0 || step == OpsStep.RESUMING || step == OpsStep.DONE) {
            Duration pause = Duration.ofSeconds(Math.min(30, 1L << Math.min(5, failing.toSeconds() / 4)));
            LOG.warn("ProxySQLOpsRequest {}/{}: {}; retrying in {} (refused for {} so far)", stale.getMetadata().getNamespace(),
                    stale.getMetadata().getName(), what, GoDuration.format(pause), GoDuration.format(failing));
            return Optional.of(pause);
        }
        failingSince.remove(uid);
        String reason = what + "; still refused after " + run.timeoutText();
        return switch (step) {
            case QUEUED, PAUSING -> fail(run, reason, OpsStep.RESUMING);
            case ROLLING_BACK_STATEFUL_SET, ROLLING_BACK_PODS -> rollbackFailed(run, reason);
            default -> fail(run, reason, rollbackOrResume(run));
        };
    }

    private Optional<Duration> step(Run run, OpsStep step, Collection<ProxySQLOpsRequest> all) {
        return switch (step) {
            case QUEUED -> queued(run, all);
            case PAUSING -> pausing(run);
            case UPDATING_STATEFUL_SET -> updatingStatefulSet(run);
            case REPLACING_PODS -> replacingPods(run, false);
            case UPDATING_DATABASE -> updatingDatabase(run);
            case ROLLING_BACK_STATEFUL_SET -> rollingBackStatefulSet(run);
            case ROLLING_BACK_PODS -> replacingPods(run, true);
            case RESUMING -> resuming(run);
            case DONE -> Optional.empty();
        };
    }

    /** One request, its operation and its ProxySQL as read at the start of this pass. */
    private final class Run {
        ProxySQLOpsRequest r;
        final Operation op;
        final ProxySQL proxysql;

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

        void condition(String type, boolean value, String reason, String message) {
            OpsConditions.set(status(), type, value, reason, message, r.getMetadata().getGeneration(), clock);
        }

        void to(OpsStep step) {
            progress().setStep(step);
            progress().setStepStartedAt(Conditions.now(clock));
        }

        void save() {
            r = store.saveStatus(r);
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

        boolean stepTimedOut() {
            String started = progress().getStepStartedAt();
            return started != null && Instant.now(clock).isAfter(Instant.parse(started).plus(timeout()));
        }

        String ref() {
            return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
        }

        /** The change this request makes to the pod template, as recorded when it paused the ProxySQL. */
        TemplateChange targetChange() {
            return new TemplateChange(progress().getTargetImages(), progress().getTargetResources(), op.templateAnnotations(r));
        }

        /** The template as it was before this request changed it (annotations are not rolled back). */
        TemplateChange previousChange() {
            return new TemplateChange(progress().getPreviousImages(), progress().getPreviousResources(), Map.of());
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

        /** Whether a failure must roll the template back: images or resources changed (a Restart's annotation is not). */
        boolean changesTemplate() {
            return changesImages() || changesResources();
        }
    }

    // --- steps ---------------------------------------------------------------------------------------------------

    private Optional<Duration> queued(Run run, Collection<ProxySQLOpsRequest> all) {
        if (run.deleting()) {
            store.removeFinalizer(run.r);
            return Optional.empty();
        }
        // A request waits for the ones before it on the same ProxySQL before it is validated: they may change the
        // version it starts from. One whose ProxySQL does not exist fails at once (the validator says so).
        Optional<ProxySQLOpsRequest> blocker = run.proxysql == null ? Optional.empty() : OpsQueue.blocker(run.r, all);
        if (blocker.isPresent()) {
            return pending(run, "WaitingForOpsRequest", "waiting for ProxySQLOpsRequest " + blocker.get().getMetadata().getName()
                    + " on the same ProxySQL to finish", false);
        }
        // The same checks, and messages, as the admission webhook's: they matter where it is not installed or was down.
        Operation.Validation v = validator.validate(run.r, run.proxysql);
        if (v.kind() == Operation.Validation.Kind.REJECT) {
            return finish(run.r, run.op, null, v.message() + "; nothing was changed");
        }
        if (v.kind() == Operation.Validation.Kind.NOTHING_TO_DO) {
            run.condition(run.op.conditionType(), true, "NothingToDo", v.message());
            return finish(run.r, run.op, v.message(), null);
        }
        ApplyOption apply = run.r.getSpec().getApply() == null ? ApplyOption.IF_READY : run.r.getSpec().getApply();
        DatabasePhase phase = run.proxysql.getStatus() == null ? null : run.proxysql.getStatus().getPhase();
        if (apply == ApplyOption.IF_READY && phase != DatabasePhase.READY) {
            if (run.progress().getStepStartedAt() != null && run.stepTimedOut()) {
                return finish(run.r, run.op, null, "ProxySQL " + run.proxysql.getMetadata().getName() + " was not Ready within "
                        + run.timeoutText() + " (it is " + phaseName(phase) + "); with spec.apply: IfReady the request only runs on a Ready"
                        + " ProxySQL (spec.apply: Always runs it regardless); nothing was changed");
            }
            return pending(run, "WaitingForDatabaseReady", "waiting for ProxySQL " + run.proxysql.getMetadata().getName()
                    + " to be Ready (spec.apply: IfReady); it is " + phaseName(phase), true);
        }
        run.r = store.addFinalizer(run.r);
        run.status().setPhase(OpsRequestPhase.PROGRESSING);
        run.progress().setFromVersion(run.proxysql.getSpec().getVersion());
        run.progress().setToVersion(run.op.expectedVersion(run.r, run.proxysql));
        run.condition(OpsConditions.RUNNING, true, "Running", "Controller has started to Progress the ProxySQLOpsRequest: " + run.ref());
        Conditions.find(run.status().getConditions(), OpsConditions.QUEUED).ifPresent(q ->
                run.condition(OpsConditions.QUEUED, false, "Started", "the request left the queue"));
        run.to(OpsStep.PAUSING);
        run.save();
        events.normal(run.r, "Starting", "Started processing " + typeName(run.r) + " of ProxySQL " + run.proxysql.getMetadata().getName());
        return now();
    }

    private Optional<Duration> pending(Run run, String reason, String message, boolean timed) {
        boolean changed = run.status().getPhase() != OpsRequestPhase.PENDING
                || Conditions.find(run.status().getConditions(), OpsConditions.QUEUED).map(c -> !message.equals(c.getMessage())).orElse(true);
        if (timed && run.progress().getStepStartedAt() == null) {
            run.progress().setStepStartedAt(Conditions.now(clock));
            changed = true;
        } else if (!timed && run.progress().getStepStartedAt() != null) {
            run.progress().setStepStartedAt(null);
            changed = true;
        }
        if (changed) {
            run.status().setPhase(OpsRequestPhase.PENDING);
            run.condition(OpsConditions.QUEUED, true, reason, message);
            run.save();
        }
        return Optional.of(Duration.ofSeconds(2));
    }

    private Optional<Duration> pausing(Run run) {
        if (run.deleting()) {
            return fail(run, "cancelled: the request was deleted before any pod was touched", OpsStep.RESUMING);
        }
        if (!PauseProtocol.isPaused(run.proxysql)) {
            events.normal(run.r, "PauseDatabase", "Pausing ProxySQL database: " + run.proxysql.getMetadata().getNamespace() + "/"
                    + run.proxysql.getMetadata().getName());
            pause.pause(run.proxysql, run.r);
            return poll();
        }
        if (!PauseProtocol.isAcknowledged(run.proxysql)) {
            if (run.stepTimedOut()) {
                return fail(run, "step Pausing: the provisioner did not acknowledge the pause (condition ProvisionerPaused) within "
                        + run.timeoutText() + "; is the provisioner running?", OpsStep.RESUMING);
            }
            return poll();
        }
        StatefulSet sts = statefulSet(run);
        if (sts == null) {
            return fail(run, "step Pausing: StatefulSet " + ProxySQLNames.statefulSet(run.proxysql) + " does not exist", OpsStep.RESUMING);
        }
        // What to roll back to is recorded before the template changes, from the template itself.
        Map<String, String> target = run.op.targetImages(run.r, run.proxysql, sts);
        run.progress().setTargetImages(target);
        run.progress().setPreviousImages(valuesOf(target.keySet(), StatefulSetTemplate.images(sts)));
        Map<String, ResourceRequirements> targetResources = run.op.targetResources(run.r, run.proxysql);
        if (!targetResources.isEmpty()) {
            run.progress().setTargetResources(targetResources);
            run.progress().setPreviousResources(valuesOf(targetResources.keySet(), StatefulSetTemplate.resources(sts)));
        }
        run.condition(OpsConditions.PAUSE_DATABASE, true, "DatabasePauseSucceeded", "Successfully paused ProxySQL "
                + run.proxysql.getMetadata().getName() + "; the provisioner acknowledged it");
        run.to(OpsStep.UPDATING_STATEFUL_SET);
        run.save();
        events.normal(run.r, "PauseDatabase", "Successfully paused ProxySQL database: " + run.proxysql.getMetadata().getName());
        return now();
    }

    private Optional<Duration> updatingStatefulSet(Run run) {
        if (run.deleting()) {
            return fail(run, "cancelled: the request was deleted while the StatefulSet was being updated", OpsStep.ROLLING_BACK_STATEFUL_SET);
        }
        StatefulSet sts = statefulSet(run);
        if (sts == null) {
            return fail(run, "step UpdatingStatefulSet: StatefulSet " + ProxySQLNames.statefulSet(run.proxysql) + " does not exist",
                    OpsStep.RESUMING);
        }
        if (!run.op.targetResources(run.r, run.proxysql).isEmpty() && run.progress().getTargetResources() == null) {
            // The status was saved with targetResources in Pausing; the API server dropped it, so its schema predates
            // the field. Going on would roll nothing and report success.
            return fail(run, "step UpdatingStatefulSet: the ProxySQLOpsRequest CRD installed is older than this operator: it "
                    + "dropped status.progress.targetResources; update the CRDs (helm upgrade does not update a chart's crds/)",
                    OpsStep.RESUMING);
        }
        Map<String, String> images = run.progress().getTargetImages();
        TemplateChange change = run.targetChange();
        if (!StatefulSetTemplate.has(sts, change)) {
            if (run.stepTimedOut()) {
                return fail(run, "step UpdatingStatefulSet: the pod template did not take " + change.describe() + " within "
                        + run.timeoutText(), OpsStep.ROLLING_BACK_STATEFUL_SET);
            }
            Optional<String> refused = applyTemplate(sts, change);
            if (refused.isPresent()) {
                return fail(run, "step UpdatingStatefulSet: the API server refused the new pod template: " + refused.get(),
                        OpsStep.ROLLING_BACK_STATEFUL_SET);
            }
            return poll();
        }
        if (!StatefulSetTemplate.observed(sts)) {
            if (run.stepTimedOut()) {
                return fail(run, "step UpdatingStatefulSet: the StatefulSet controller did not observe the new template within "
                        + run.timeoutText(), OpsStep.ROLLING_BACK_STATEFUL_SET);
            }
            return poll();
        }
        RollTarget target = new RollTarget(sts.getStatus().getUpdateRevision(), images);
        run.progress().setPods(RollPlan.plan(pods.observe(run.proxysql).values(), target, change.describe()));
        run.condition(OpsConditions.UPDATE_STATEFUL_SETS, true, "UpdateStatefulSetsSucceeded", "Updated the pod template of StatefulSet "
                + sts.getMetadata().getName() + " (revision " + target.revision() + "): " + change.describe()
                + "; " + run.progress().getPods().size() + " pod(s) to replace");
        run.to(OpsStep.REPLACING_PODS);
        run.save();
        return now();
    }

    private Optional<Duration> replacingPods(Run run, boolean rollback) {
        if (run.deleting() && !rollback) {
            return fail(run, "cancelled: the request was deleted while pods were being replaced", rollbackOrResume(run));
        }
        StatefulSet sts = statefulSet(run);
        if (sts == null) {
            return rollback ? rollbackFailed(run, "StatefulSet " + ProxySQLNames.statefulSet(run.proxysql) + " does not exist")
                    : fail(run, "step ReplacingPods: StatefulSet does not exist", OpsStep.RESUMING);
        }
        Map<String, String> images = rollback ? run.progress().getPreviousImages() : run.progress().getTargetImages();
        RollTarget target = new RollTarget(sts.getStatus().getUpdateRevision(), images);
        // The check always runs through the engine: when ProxySQL-level checks are off, ProxySQLLevelCheck.skipped()
        // passes it and the pod's CheckPodReady condition says so.
        RollSettings rs = new RollSettings(sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas(), run.timeout(),
                run.r.getSpec().getMaxRetries() == null ? 1 : run.r.getSpec().getMaxRetries());
        Instant now = Instant.now(clock);
        String persisted = Serialization.asJson(run.progress().getPods());
        Map<String, ObservedPod> observed = pods.observe(run.proxysql);
        Decision d = RollingReplacement.next(run.progress().getPods(), observed, target, rs, now);
        for (int checks = 0; d.action() instanceof Action.Verify verify && checks < observed.size() + 1; checks++) {
            String expected = rollback ? run.progress().getFromVersion() : run.progress().getToVersion();
            VerifyResult result = check.verify(run.proxysql, verify.pod(), expected);
            run.condition(OpsConditions.checkPodReady(verify.pod()), result.passed(),
                    result.passed() ? "PodReady" : result.pending() ? "CheckPending" : "CheckFailed",
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
    private static int newlyReplaced(java.util.List<PodProgress> before, java.util.List<PodProgress> after) {
        Map<String, String> was = before == null ? Map.of() : before.stream()
                .collect(Collectors.toMap(PodProgress::getName, p -> String.valueOf(p.getState()), (a, b) -> a));
        return (int) after.stream().filter(p -> PodState.DONE.value().equals(p.getState()) && p.getEvictedUid() != null
                && !PodState.DONE.value().equals(was.get(p.getName()))).count();
    }

    private Optional<Duration> act(Run run, Action action, boolean rollback, RollTarget target, boolean progressChanged) {
        String ns = run.proxysql.getMetadata().getNamespace();
        if (action instanceof Action.Evict evict) {
            run.condition(OpsConditions.evictPod(evict.pod()), true, rollback ? "EvictPodForRollback" : "EvictPod",
                    "evict pod " + evict.pod() + " (uid " + evict.uid() + "): " + evict.reason());
            run.save();
            String refusal = run.r.getMetadata().getUid() + "/" + evict.uid();
            switch (pods.evict(ns, evict.pod(), evict.uid())) {
                case EVICTED -> {
                    metrics.evicted();
                    refusalsReported.remove(refusal);
                    // Recorded after the eviction: the Event only reports, and the pod should not wait for it.
                    events.normal(run.r, "RestartPod", "Restarting Pod: " + ns + "/" + evict.pod() + " (" + evict.reason() + ")");
                }
                case REFUSED -> {
                    if (refusalsReported.add(refusal)) {
                        events.warning(run.r, "EvictionRefused", "Eviction of pod " + ns + "/" + evict.pod() + " refused (429: a "
                                + "PodDisruptionBudget allows no disruption now, or the API server is throttling); retrying until the "
                                + "step timeout (" + run.timeoutText() + ")");
                    }
                }
                case GONE -> {
                    // Already gone or replaced: the next observation of the pods tells which.
                }
            }
            return poll();
        }
        if (action instanceof Action.Complete) {
            if (rollback) {
                run.condition(OpsConditions.ROLLBACK, true, "RollbackSucceeded", "every pod is back on revision " + target.revision()
                        + " (" + run.previousChange().describe() + ")");
                run.to(OpsStep.RESUMING);
            } else {
                run.condition(OpsConditions.RESTART_PODS, true, "RestartPodsSucceeded", "every pod was replaced and checked");
                run.to(OpsStep.UPDATING_DATABASE);
            }
            run.save();
            return now();
        }
        if (action instanceof Action.Fail fail) {
            return rollback ? rollbackFailed(run, fail.reason())
                    : fail(run, "step ReplacingPods" + (fail.pod() == null ? "" : ", pod " + fail.pod()) + ": " + fail.reason(),
                    rollbackOrResume(run));
        }
        // Wait: persist progress changes (a pod's clock starting, a check result), not the countdown.
        if (progressChanged) {
            run.save();
        }
        return poll();
    }

    private Optional<Duration> updatingDatabase(Run run) {
        run.op.updateDatabase(run.r, run.proxysql);
        run.condition(OpsConditions.UPDATE_DATABASE, true, "UpdateDatabase", run.op.successMessage(run.r, run.proxysql));
        run.to(OpsStep.RESUMING);
        run.save();
        return now();
    }

    private Optional<Duration> rollingBackStatefulSet(Run run) {
        StatefulSet sts = statefulSet(run);
        if (sts == null) {
            return rollbackFailed(run, "StatefulSet " + ProxySQLNames.statefulSet(run.proxysql) + " does not exist");
        }
        Map<String, String> previous = run.progress().getPreviousImages();
        TemplateChange back = run.previousChange();
        if (!StatefulSetTemplate.has(sts, back)) {
            if (run.stepTimedOut()) {
                return rollbackFailed(run, "the pod template did not take " + back.describe() + " again within " + run.timeoutText());
            }
            Optional<String> refused = applyTemplate(sts, back);
            if (refused.isPresent()) {
                return rollbackFailed(run, "the API server refused the previous pod template: " + refused.get());
            }
            events.warning(run.r, "Rollback", "Rolling back StatefulSet " + sts.getMetadata().getName() + " to "
                    + back.describe() + " after: " + run.progress().getFailure());
            return poll();
        }
        if (!StatefulSetTemplate.observed(sts)) {
            return run.stepTimedOut() ? rollbackFailed(run, "the StatefulSet controller did not observe the previous template within "
                    + run.timeoutText()) : poll();
        }
        RollTarget target = new RollTarget(sts.getStatus().getUpdateRevision(), previous);
        run.progress().setPods(RollbackPlan.plan(pods.observe(run.proxysql).values(), target));
        run.condition(OpsConditions.ROLLBACK, true, "RollbackStarted", "rolling back to " + back.describe() + ": "
                + run.progress().getPods().size() + " pod(s) to replace back");
        run.to(OpsStep.ROLLING_BACK_PODS);
        run.save();
        return now();
    }

    private Optional<Duration> resuming(Run run) {
        if (PauseProtocol.isPaused(run.proxysql)) {
            events.normal(run.r, "ResumeDatabase", "Resuming ProxySQL database: " + run.proxysql.getMetadata().getName());
            pause.resume(run.proxysql);
        }
        run.condition(OpsConditions.RESUME_DATABASE, true, "DatabaseResumeSucceeded", "Successfully resumed ProxySQL "
                + run.proxysql.getMetadata().getName());
        String failure = run.progress().getFailure();
        if (failure == null) {
            return finish(run.r, run.op, run.op.successMessage(run.r, run.proxysql), null);
        }
        // "Rolled back" only if a rollback ran to its end, as its persisted condition says.
        boolean rolledBack = Conditions.find(run.status().getConditions(), OpsConditions.ROLLBACK)
                .filter(c -> "RollbackSucceeded".equals(c.getReason())).isPresent();
        String outcome = run.progress().getRollbackFailure() != null
                ? "; rollback also failed: " + run.progress().getRollbackFailure() + "; the ProxySQL was resumed anyway"
                : !rolledBack ? "; ProxySQL resumed"
                : run.changesImages() ? "; rolled back: every pod runs " + run.progress().getFromVersion()
                + " again, spec.version unchanged, ProxySQL resumed"
                : "; rolled back: every pod is back on " + run.previousChange().describe() + ", the ProxySQL's spec unchanged, ProxySQL resumed";
        return finish(run.r, run.op, null, failure + outcome);
    }

    // --- transitions ---------------------------------------------------------------------------------------------

    private OpsStep rollbackOrResume(Run run) {
        return run.changesTemplate() ? OpsStep.ROLLING_BACK_STATEFUL_SET : OpsStep.RESUMING;
    }

    private Optional<Duration> fail(Run run, String reason, OpsStep next) {
        if (run.progress().getFailure() == null) {
            run.progress().setFailure(reason);
        }
        if (run.deleting()) {
            run.progress().setCancelled(true);
        }
        OpsStep target = next == OpsStep.ROLLING_BACK_STATEFUL_SET && !run.changesTemplate() ? OpsStep.RESUMING : next;
        run.condition(run.op.conditionType(), false, run.op.conditionType() + "Failed", reason);
        run.to(target);
        run.save();
        events.warning(run.r, "Failed", reason + (target == OpsStep.ROLLING_BACK_STATEFUL_SET ? "; rolling back" : "; resuming"));
        return now();
    }

    private Optional<Duration> rollbackFailed(Run run, String reason) {
        run.progress().setRollbackFailure(reason);
        run.condition(OpsConditions.ROLLBACK, false, "RollbackFailed", reason);
        run.to(OpsStep.RESUMING);
        run.save();
        events.warning(run.r, "RollbackFailed", reason);
        return now();
    }

    /** Writes the final phase (the ProxySQL is already resumed or was never paused) and releases the finalizer. */
    private Optional<Duration> finish(ProxySQLOpsRequest r, Operation op, String success, String failure) {
        failingSince.remove(r.getMetadata().getUid());
        OpsRequestStatus s = r.getStatus();
        long gen = r.getMetadata().getGeneration();
        s.getProgress().setStep(OpsStep.DONE);
        s.setObservedGeneration(gen);
        if (failure == null) {
            s.setPhase(OpsRequestPhase.SUCCESSFUL);
            if (op != null && Conditions.find(s.getConditions(), op.conditionType()).isEmpty()) {
                OpsConditions.set(s, op.conditionType(), true, op.conditionType() + "Succeeded", success, gen, clock);
            }
            OpsConditions.set(s, OpsConditions.SUCCESSFUL, true, "Successful", success, gen, clock);
        } else {
            s.setPhase(OpsRequestPhase.FAILED);
            OpsConditions.set(s, OpsConditions.FAILED, true, "Failed", failure, gen, clock);
        }
        ProxySQLOpsRequest saved = store.saveStatus(r);
        metrics.finished(typeName(r), s.getPhase() == OpsRequestPhase.SUCCESSFUL ? "Successful" : "Failed");
        if (failure == null) {
            events.normal(saved, "Successful", success);
        } else {
            events.warning(saved, "Failed", failure);
        }
        LOG.info("ProxySQLOpsRequest {}/{}: {}", r.getMetadata().getNamespace(), r.getMetadata().getName(),
                failure == null ? "Successful: " + success : "Failed: " + failure);
        store.removeFinalizer(saved);
        String uid = r.getMetadata().getUid();
        refusalsReported.removeIf(k -> k.startsWith(uid + "/"));
        return Optional.empty();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private StatefulSet statefulSet(Run run) {
        return client.apps().statefulSets().inNamespace(run.proxysql.getMetadata().getNamespace())
                .withName(ProxySQLNames.statefulSet(run.proxysql)).get();
    }

    /**
     * Changes the template; a refusal that trying again cannot fix comes back as its message: 400 or 422 (the API
     * server finds the template invalid), 403 (an admission policy or RBAC forbids it). Anything else (a conflict, a
     * timeout) is thrown and decided again.
     */
    private Optional<String> applyTemplate(StatefulSet sts, TemplateChange change) {
        try {
            template.change(sts, change);
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
                .collect(Collectors.toMap(k -> k, current::get, (a, b) -> a, java.util.LinkedHashMap::new));
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

    private static String phaseName(DatabasePhase phase) {
        return phase == null ? "not yet provisioned" : EnumNames.of(phase);
    }
}
