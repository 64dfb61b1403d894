package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.GoDuration;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.opsmanager.io.TemplateChange;
import dev.proxysql.operator.opsmanager.io.TemplateRenderer;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request being advanced by one pass: the request as last stored, its operation, its ProxySQL (and, for the steps
 * that read it, its StatefulSet) as read at the start of the pass, and what every step may use: the
 * {@link StepWriter}, the clock, when this operator process started. Its status is changed here and saved through
 * the writer; nothing else is written from here.
 */
public final class OpsRun {
    private ProxySQLOpsRequest r;
    private final Operation op;
    private final ProxySQL proxysql;
    private final Collection<ProxySQLOpsRequest> all;
    private final StepWriter writer;
    private final Clock clock;
    private final Instant started;
    private final Duration defaultTimeout;
    private StatefulSet sts;
    private TemplateRenderer.Rendered rendered;

    /**
     * @param all            every request the informer holds (for the queue)
     * @param started        when this operator process started: waits are not counted from earlier ({@link #stepTimedOut})
     * @param defaultTimeout the step timeout when the request names none
     */
    public OpsRun(ProxySQLOpsRequest r, Operation op, ProxySQL proxysql, Collection<ProxySQLOpsRequest> all, StepWriter writer,
                  Clock clock, Instant started, Duration defaultTimeout) {
        this.r = r;
        this.op = op;
        this.proxysql = proxysql;
        this.all = all;
        this.writer = writer;
        this.clock = clock;
        this.started = started;
        this.defaultTimeout = defaultTimeout;
    }

    public ProxySQLOpsRequest request() {
        return r;
    }

    public Operation op() {
        return op;
    }

    /** The request's ProxySQL as read at the start of the pass, or null if it is gone. */
    public ProxySQL proxysql() {
        return proxysql;
    }

    public Collection<ProxySQLOpsRequest> all() {
        return all;
    }

    public StepWriter writer() {
        return writer;
    }

    public Clock clock() {
        return clock;
    }

    public Instant started() {
        return started;
    }

    /** The StatefulSet, for the steps that read it in their observation (else null). */
    public StatefulSet sts() {
        return sts;
    }

    /** The rendered StatefulSet this pass rolls to (or back to), in the steps that change the template (else null). */
    public TemplateRenderer.Rendered rendered() {
        return rendered;
    }

    /** Records what a step's observation read, for its act part. */
    public void observed(StatefulSet statefulSet, TemplateRenderer.Rendered rendering) {
        this.sts = statefulSet;
        this.rendered = rendering;
    }

    public OpsProgress progress() {
        return r.getStatus().getProgress();
    }

    public OpsRequestStatus status() {
        return r.getStatus();
    }

    public void condition(ConditionType type, boolean value, OpsReason reason, String message) {
        condition(type.value(), value, reason.value(), message);
    }

    /** A type's summary condition or another whose reason is derived from its type ({@link ConditionType#succeeded}). */
    public void condition(ConditionType type, boolean value, String reason, String message) {
        condition(type.value(), value, reason, message);
    }

    /**
     * A per-pod condition: {@code EvictPod--px-1}; only the most recent per-pod conditions are kept
     * ({@link OpsConditions#setForPod}).
     */
    public void condition(PodConditionType type, String pod, boolean value, OpsReason reason, String message) {
        OpsConditions.setForPod(status(), type, pod, value, reason.value(), message, r.getMetadata().getGeneration(), clock);
    }

    /** A condition as spelt on the wire (a type's own {@link Operation.Note}s). */
    public void condition(String type, boolean value, String reason, String message) {
        OpsConditions.set(status(), type, value, reason, message, r.getMetadata().getGeneration(), clock);
    }

    /**
     * Records the operation's own conditions for {@code moment} ({@link Operation#conditionsAt}); whether any changed
     * (the caller saves).
     */
    public boolean note(Operation.Moment moment) {
        return note(op.conditionsAt(moment, r, proxysql));
    }

    /** Records {@code notes} where they differ from the request's conditions; whether any changed (the caller saves). */
    public boolean note(List<Operation.Note> notes) {
        boolean changed = false;
        for (Operation.Note n : notes) {
            String status = n.status() ? Condition.TRUE : Condition.FALSE;
            boolean same = Conditions.find(status().getConditions(), n.type()).filter(c -> status.equals(c.getStatus())
                    && n.reason().equals(c.getReason()) && Objects.equals(n.message(), c.getMessage())).isPresent();
            if (!same) {
                condition(n.type(), n.status(), n.reason(), n.message());
                changed = true;
            }
        }
        return changed;
    }

    /** Moves to {@code step} and starts its clock (the caller saves). */
    public void to(OpsStep step) {
        progress().setStep(step);
        progress().setStepStartedAt(Conditions.now(clock));
    }

    /** Saves the status; from then on this run holds the request as stored. */
    public void save() {
        r = writer.saveStatus(r);
    }

    public void addFinalizer() {
        r = writer.addFinalizer(r);
    }

    public boolean deleting() {
        return r.getMetadata().getDeletionTimestamp() != null;
    }

    public Duration timeout() {
        String t = r.getSpec().getTimeout();
        return t == null ? defaultTimeout : GoDuration.parse(t);
    }

    /** spec.maxRetries (default 1, as the CRD's). */
    public int maxRetries() {
        Integer n = r.getSpec().getMaxRetries();
        return n == null ? 1 : n;
    }

    /** The step timeout as the request would spell it: 5m0s. */
    public String timeoutText() {
        return GoDuration.format(timeout());
    }

    /**
     * The step has waited longer than the timeout, counted from when it started or from when this operator process
     * started, whichever is later: the time the operator was not running does not count against a request, so a
     * restart never fails a step (or a rollback) that it gave no chance.
     */
    public boolean stepTimedOut() {
        return timedOut(progress().getStepStartedAt());
    }

    /** Whether a wait begun at {@code since} (RFC 3339; null: not begun) has outlasted the timeout ({@link #stepTimedOut}). */
    public boolean timedOut(String since) {
        if (since == null) {
            return false;
        }
        Instant from = Instant.parse(since).isBefore(started) ? started : Instant.parse(since);
        return Instant.now(clock).isAfter(from.plus(timeout()));
    }

    public String ref() {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }

    /** The change this request makes to the pod template, as recorded when it paused the ProxySQL. */
    public TemplateChange targetChange() {
        return new TemplateChange(changedImages(progress().getTargetImages(), progress().getPreviousImages()),
                progress().getTargetResources(), op.templateAnnotations(r, proxysql), rendered == null || !rendered.ok() ? null : rendered.statefulSet());
    }

    /**
     * The template as it was before this request changed it. A rollback puts the type's annotations back as they
     * were (recorded when pausing; a null value removes one the template did not have): kept, they would make the
     * rollback's template a revision of its own, and every pod, not only those already moved, would be replaced
     * onto it (for an issuer change, onto the new issuer's certificate).
     */
    public TemplateChange previousChange() {
        Map<String, String> back = changesTemplate() ? TemplateChange.restoring(op.templateAnnotations(r, proxysql).keySet(),
                progress().getPreviousAnnotations()) : Map.of();
        return new TemplateChange(changedImages(progress().getPreviousImages(), progress().getTargetImages()),
                progress().getPreviousResources(), back, rendered == null || !rendered.ok() ? null : rendered.statefulSet());
    }

    /** The entries of {@code images} that differ from {@code other}'s: what a change of images is about. */
    private static Map<String, String> changedImages(Map<String, String> images, Map<String, String> other) {
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

    public boolean changesImages() {
        Map<String, String> prev = progress().getPreviousImages();
        Map<String, String> target = progress().getTargetImages();
        return target != null && !target.isEmpty() && prev != null
                && target.entrySet().stream().anyMatch(e -> !e.getValue().equals(prev.get(e.getKey())));
    }

    public boolean changesResources() {
        Map<String, ResourceRequirements> prev = progress().getPreviousResources();
        Map<String, ResourceRequirements> target = progress().getTargetResources();
        return target != null && !target.isEmpty() && prev != null
                && target.entrySet().stream().anyMatch(e -> !ResourceQuantities.same(e.getValue(), prev.get(e.getKey())));
    }

    /**
     * Whether a failure must roll the template back: images or resources changed, or the pod spec otherwise
     * (ReconfigureTLS); a Restart's annotation is not.
     */
    public boolean changesTemplate() {
        return changesImages() || changesResources() || op.changesPodSpec(r);
    }

    /** Whether the request's {@code Rollback} condition says a rollback ran to its end. */
    public boolean rolledBack() {
        return Conditions.find(status().getConditions(), ConditionType.ROLLBACK.value())
                .filter(c -> OpsReason.ROLLBACK_SUCCEEDED.value().equals(c.getReason())).isPresent();
    }
}
