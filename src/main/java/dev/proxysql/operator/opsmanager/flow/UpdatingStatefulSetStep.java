package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.io.PodObserver;
import dev.proxysql.operator.opsmanager.io.TemplateChange;
import dev.proxysql.operator.opsmanager.rolling.RollPlan;
import dev.proxysql.operator.opsmanager.rolling.RollTarget;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * UpdatingStatefulSet: the type's own conditions and preparations (ReconfigureTLS's certificates), then the new pod
 * template, written until the StatefulSet has it and its controller observed it; then the pods to replace are planned.
 */
public final class UpdatingStatefulSetStep implements Step<StepView> {
    private final FlowObserver observer;
    private final PodObserver pods;

    public UpdatingStatefulSetStep(FlowObserver observer, PodObserver pods) {
        this.observer = observer;
        this.pods = pods;
    }

    @Override
    public StepView observe(OpsRun run) {
        return observer.observe(run, FlowObserver.Reads.RENDERED);
    }

    @Override
    public StepOutcome decide(StepView view) {
        return StepDecisions.updatingStatefulSet(view);
    }

    @Override
    public StepResult act(OpsRun run, StepView view, StepOutcome outcome) {
        TemplateChange change = run.targetChange();
        if (outcome instanceof StepOutcome.ApplyTemplate) {
            // The type's own conditions (ReconfigureTLS's AddTLS, Issuing...) are saved before the writes they announce.
            if (run.note(Operation.Moment.TEMPLATE_CHANGE_STARTS)) {
                run.save();
                return StepResult.now();
            }
            // What the new template needs (ReconfigureTLS's certificates) first; until then the template waits.
            if (run.writer().prepareTemplate(run.request(), run.op(), run.proxysql()).isPresent()) {
                return StepResult.poll();
            }
            if (run.note(Operation.Moment.TEMPLATE_PREPARED)) {
                run.save();
                return StepResult.now();
            }
            Optional<String> refused = applyTemplate(run, change);
            return refused.isPresent()
                    ? new StepResult.Failed(StepDecisions.fail(run.changesTemplate(), "step UpdatingStatefulSet: the API server refused the new pod template: "
                    + refused.get(), OpsStep.ROLLING_BACK_STATEFUL_SET))
                    : StepResult.poll();
        }
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return StepResult.of(outcome);
        }
        RollTarget target = new RollTarget(run.sts().getStatus().getUpdateRevision(), run.progress().getTargetImages());
        run.progress().setPods(RollPlan.plan(pods.observe(run.proxysql()).values(), target, change.describe()));
        run.condition(ConditionType.UPDATE_STATEFUL_SETS, true, OpsReason.UPDATE_STATEFUL_SETS_SUCCEEDED, "Updated the pod template of StatefulSet "
                + run.sts().getMetadata().getName() + " (revision " + target.revision() + "): " + change.describe()
                + "; " + run.progress().getPods().size() + " pod(s) to replace");
        run.to(OpsStep.REPLACING_PODS);
        run.save();
        return StepResult.now();
    }

    /**
     * Changes the template; a refusal that trying again cannot fix comes back as its message: 400 or 422 (the API
     * server finds the template invalid), 403 (an admission policy or RBAC forbids it). Anything else (a conflict, a
     * timeout) is thrown and decided again.
     */
    static Optional<String> applyTemplate(OpsRun run, TemplateChange change) {
        try {
            run.writer().changeTemplate(run.request(), run.sts(), change);
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 400 || e.getCode() == 403 || e.getCode() == 422) {
                return Optional.of(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
            }
            throw e;
        }
    }
}
