package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.io.StatefulSetTemplate;
import dev.proxysql.operator.opsmanager.io.TemplateChange;
import dev.proxysql.operator.opsmanager.io.TemplateRenderer;
import dev.proxysql.operator.opsmanager.queue.OpsQueue;
import dev.proxysql.operator.opsmanager.queue.Ownership;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.topology.PauseProtocol;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The observation the shared steps (and the types' steps that need the same facts) make of a request and its world,
 * read once per pass into a {@link StepView}: the ProxySQL as read for the run, its StatefulSet when the step needs it,
 * and, in the steps that change the template, the provisioner's rendering of the StatefulSet to roll to (or back to).
 */
public final class FlowObserver {
    private final KubernetesClient client;
    private final TemplateRenderer renderer;

    public FlowObserver(KubernetesClient client, TemplateRenderer renderer) {
        this.client = client;
        this.renderer = renderer;
    }

    /** What the shared steps read. */
    public enum Reads {
        /** The ProxySQL only (as read for the run). */
        PROXYSQL,
        /** Also its StatefulSet. */
        STATEFUL_SET,
        /** Also the StatefulSet the request rolls to (or, in a rollback, back to), as the provisioner renders it. */
        RENDERED
    }

    public StepView observe(OpsRun run, Reads reads) {
        OpsStep step = run.progress().getStep();
        ProxySQL p = run.proxysql();
        boolean rollback = step == OpsStep.ROLLING_BACK_STATEFUL_SET || step == OpsStep.ROLLING_BACK_PODS;
        StatefulSet sts = p != null && reads != Reads.PROXYSQL ? statefulSet(p) : null;
        // The template to roll to (or back to): the provisioner's rendering of the spec the request leaves (or found).
        TemplateRenderer.Rendered rendered = p != null && reads == Reads.RENDERED ? renderer.render(rollback ? p : run.op().target(run.request(), p)) : null;
        run.observed(sts, rendered);
        TemplateChange change = rollback ? run.previousChange() : run.targetChange();
        boolean droppedTarget = step == OpsStep.UPDATING_STATEFUL_SET && run.progress().getTargetResources() == null
                && run.op().changesResources();
        String renderProblem = rendered == null || rendered.ok() ? null : rendered.problem();
        // A request that already holds the ProxySQL's ownership record (it took it and was stopped before its status
        // said so) goes first whatever the order: the others wait for the record, and it would otherwise wait for them.
        Optional<String> blocker = step != OpsStep.QUEUED || p == null || Ownership.holds(p, run.request()) ? Optional.empty()
                : OpsQueue.blocker(run.request(), run.all()).map(b -> b.getMetadata().getName());
        return new StepView(step, run.deleting(), run.request().getSpec().getProxyRef().getName(), p != null,
                p == null || p.getStatus() == null ? null : p.getStatus().getPhase(),
                p != null && PauseProtocol.isPaused(p), p != null && PauseProtocol.isAcknowledged(p),
                p == null ? null : ProxySQLNames.statefulSet(p), sts != null,
                sts != null && rendered != null && rendered.ok() && StatefulSetTemplate.has(sts, change),
                sts != null && StatefulSetTemplate.observed(sts), change.describe(), run.changesTemplate(), droppedTarget,
                renderProblem, run.progress().getStepStartedAt() != null, run.stepTimedOut(), run.timeoutText(), run.request().getSpec().getApply(),
                blocker);
    }

    private StatefulSet statefulSet(ProxySQL p) {
        return client.apps().statefulSets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.statefulSet(p)).get();
    }
}
