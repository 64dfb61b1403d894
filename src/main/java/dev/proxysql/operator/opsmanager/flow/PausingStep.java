package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.opsmanager.io.StatefulSetTemplate;
import dev.proxysql.operator.opsmanager.io.TemplateRenderer;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pausing: pauses the ProxySQL, waits for the provisioner's acknowledgement, then records what to roll back to (from
 * the template itself) and what the type's flow needs ({@code Operation.planAfterPause}), and goes on with the type's
 * first step ({@code Operation.stepAfterPause}).
 */
public final class PausingStep implements Step<StepView> {
    private final FlowObserver observer;
    private final TemplateRenderer renderer;

    public PausingStep(FlowObserver observer, TemplateRenderer renderer) {
        this.observer = observer;
        this.renderer = renderer;
    }

    @Override
    public StepView observe(OpsRun run) {
        return observer.observe(run, FlowObserver.Reads.STATEFUL_SET);
    }

    @Override
    public StepOutcome decide(StepView view) {
        return StepDecisions.pausing(view);
    }

    @Override
    public StepResult act(OpsRun run, StepView view, StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Pause) {
            run.writer().normal(run.request(), OpsReason.PAUSE_DATABASE, "Pausing ProxySQL database: " + run.proxysql().getMetadata().getNamespace()
                    + "/" + run.proxysql().getMetadata().getName());
            run.writer().pause(run.request(), run.proxysql());
            return StepResult.poll();
        }
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return StepResult.of(outcome);
        }
        // What the pods will run, and what to roll back to, recorded before the template changes: the images and changed
        // resources of the provisioner's rendering of the spec the request leaves, and those of the template itself.
        TemplateRenderer.Rendered target = renderer.render(run.op().target(run.request(), run.proxysql()));
        if (!target.ok()) {
            return new StepResult.Failed(new StepOutcome.Fail("step Pausing: cannot render the StatefulSet the request leads to: "
                    + target.problem(), OpsStep.RESUMING));
        }
        Map<String, String> images = StatefulSetTemplate.images(target.statefulSet());
        run.progress().setTargetImages(images);
        run.progress().setPreviousImages(valuesOf(images.keySet(), StatefulSetTemplate.images(run.sts())));
        Map<String, ResourceRequirements> live = StatefulSetTemplate.resources(run.sts());
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
        Map<String, String> liveAnnotations = run.sts().getSpec().getTemplate().getMetadata().getAnnotations();
        Map<String, String> previousAnnotations = valuesOf(run.op().templateAnnotations(run.request(), run.proxysql()).keySet(),
                liveAnnotations == null ? Map.of() : liveAnnotations);
        if (!previousAnnotations.isEmpty()) {
            run.progress().setPreviousAnnotations(previousAnnotations);
        }
        run.condition(ConditionType.PAUSE_DATABASE, true, OpsReason.DATABASE_PAUSE_SUCCEEDED, "Successfully paused ProxySQL "
                + run.proxysql().getMetadata().getName() + "; the provisioner acknowledged it");
        run.op().planAfterPause(run.request(), run.proxysql(), run.progress());
        run.to(run.op().stepAfterPause(run.request()));
        run.save();
        run.writer().normal(run.request(), OpsReason.PAUSE_DATABASE, "Successfully paused ProxySQL database: " + run.proxysql().getMetadata().getName());
        return StepResult.now();
    }

    /** The entries of {@code current} for these containers, in their order (containers it lacks are left out). */
    private static <V> Map<String, V> valuesOf(Collection<String> containers, Map<String, V> current) {
        return containers.stream().filter(current::containsKey)
                .collect(Collectors.toMap(k -> k, current::get, (a, b) -> a, LinkedHashMap::new));
    }
}
