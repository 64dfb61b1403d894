package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Queued: waits for the requests ahead on the same ProxySQL, validates (the same checks as admission), waits for a
 * Ready ProxySQL with {@code apply: IfReady}; then adds the finalizer and moves to Pausing.
 */
public final class QueuedStep implements Step<QueuedStep.View> {
    private final FlowObserver observer;
    private final BiFunction<ProxySQLOpsRequest, ProxySQL, Validation> validator;

    /** What Queued decides on: the shared facts, and the validation (made only when the request may leave the queue). */
    public record View(StepView facts, Validation validation) {
    }

    public QueuedStep(FlowObserver observer, BiFunction<ProxySQLOpsRequest, ProxySQL, Validation> validator) {
        this.observer = observer;
        this.validator = validator;
    }

    @Override
    public View observe(OpsRun run) {
        StepView v = observer.observe(run, FlowObserver.Reads.PROXYSQL);
        // Validation reads the cluster: made here, and only when nothing holds the request back.
        return new View(v, v.deleting() || v.blocker().isPresent() ? null : validator.apply(run.request(), run.proxysql()));
    }

    @Override
    public StepOutcome decide(View view) {
        return StepDecisions.queued(view.facts(), view::validation);
    }

    @Override
    public StepResult act(OpsRun run, View view, StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Forget) {
            run.writer().removeFinalizer(run.request());
            return new StepResult.Idle();
        }
        if (outcome instanceof StepOutcome.Queued q) {
            return pending(run, q);
        }
        if (outcome instanceof StepOutcome.Finish f) {
            if (f.success() != null) {
                run.condition(run.op().conditionType(), true, OpsReason.NOTHING_TO_DO.value(), f.success());
            }
            return new StepResult.Finished(f);
        }
        // The queue above decided on the informer's view, which may not show another request's start yet: the API
        // server decides, through the ProxySQL's ownership record, which of two such requests leaves the queue.
        Optional<String> holder = run.writer().takeOwnership(run.request());
        if (holder.isPresent()) {
            return pending(run, new StepOutcome.Queued(OpsReason.WAITING_FOR_OPS_REQUEST, "waiting for ProxySQLOpsRequest "
                    + holder.get() + " on the same ProxySQL to finish", false));
        }
        run.addFinalizer();
        run.status().setPhase(OpsRequestPhase.PROGRESSING);
        run.progress().setFromVersion(run.proxysql().getSpec().getVersion());
        run.progress().setToVersion(run.op().targetVersionName(run.request(), run.proxysql()));
        run.condition(ConditionType.RUNNING, true, OpsReason.RUNNING, "Controller has started to Progress the ProxySQLOpsRequest: " + run.ref());
        Conditions.find(run.status().getConditions(), ConditionType.QUEUED.value()).ifPresent(q ->
                run.condition(ConditionType.QUEUED, false, OpsReason.STARTED, "the request left the queue"));
        RequestDeadline.start(run.progress(), RequestDeadline.budget(run.timeout(), run.op().members(run.request(), run.proxysql()),
                run.maxRetries(), run.op().timedWaitsPerMember()), run.clock().instant());
        run.to(OpsStep.PAUSING);
        run.save();
        run.writer().normal(run.request(), OpsReason.STARTING, "Started processing " + EnumNames.of(run.request().getSpec().getType())
                + " of ProxySQL " + run.proxysql().getMetadata().getName());
        return StepResult.now();
    }

    private StepResult pending(OpsRun run, StepOutcome.Queued q) {
        boolean changed = run.status().getPhase() != OpsRequestPhase.PENDING
                || Conditions.find(run.status().getConditions(), ConditionType.QUEUED.value()).map(c -> !q.message().equals(c.getMessage())).orElse(true);
        if (q.timed() && run.progress().getStepStartedAt() == null) {
            run.progress().setStepStartedAt(Conditions.now(run.clock()));
            changed = true;
        } else if (!q.timed() && run.progress().getStepStartedAt() != null) {
            run.progress().setStepStartedAt(null);
            changed = true;
        }
        if (changed) {
            run.status().setPhase(OpsRequestPhase.PENDING);
            run.condition(ConditionType.QUEUED, true, q.reason(), q.message());
            run.save();
        }
        return new StepResult.After(Duration.ofSeconds(2));
    }
}
