package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.kube.EventRecorder;
import dev.proxysql.operator.opsmanager.io.PodWriter;
import dev.proxysql.operator.opsmanager.io.ProxySQLOwnership;
import dev.proxysql.operator.opsmanager.io.ProxySQLPause;
import dev.proxysql.operator.opsmanager.io.RequestStore;
import dev.proxysql.operator.opsmanager.io.StatefulSetTemplate;
import dev.proxysql.operator.opsmanager.io.TemplateChange;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The act part of the ops manager: every write it makes for a request goes through here, and only here. Each write
 * is bracketed by {@link StopPoints} named after the step and the write, e.g. {@code "after Pausing: status
 * UpdatingStatefulSet"} or {@code "before ReplacingPods: evict px-1"}, so that a crash test can stop the operator
 * at any of them. Events are reports, not state, and carry no stop point.
 */
public final class StepWriter {
    private final RequestStore store;
    private final ProxySQLPause pause;
    private final ProxySQLOwnership ownership;
    private final StatefulSetTemplate template;
    private final PodWriter pods;
    private final EventRecorder events;
    private final StopPoints stops;

    public StepWriter(KubernetesClient client, String fieldManager, Clock clock, StopPoints stops) {
        this.store = new RequestStore(client);
        this.pause = new ProxySQLPause(client, fieldManager, clock);
        this.ownership = new ProxySQLOwnership(client);
        this.template = new StatefulSetTemplate(client);
        this.pods = new PodWriter(client);
        this.events = new EventRecorder(client, fieldManager, clock);
        this.stops = stops;
    }

    /**
     * Writes the request's status, fitted to the API's bounds first ({@link OpsConditions#fit}); returns the stored
     * request. A status refused as invalid (422) is a {@link StatusRefused}.
     */
    public ProxySQLOpsRequest saveStatus(ProxySQLOpsRequest r) {
        OpsConditions.fit(r.getStatus());
        return write(r, statusPoint(r.getStatus()), () -> {
            try {
                return store.saveStatus(r);
            } catch (KubernetesClientException e) {
                throw e.getCode() == StatusRefused.UNPROCESSABLE ? new StatusRefused(e) : e;
            }
        });
    }

    public ProxySQLOpsRequest addFinalizer(ProxySQLOpsRequest r) {
        return RequestStore.hasFinalizer(r) ? r : write(r, step(r) + ": add finalizer", () -> store.addFinalizer(r));
    }

    public void removeFinalizer(ProxySQLOpsRequest r) {
        if (RequestStore.hasFinalizer(r)) {
            write(r, step(r) + ": remove finalizer", () -> {
                store.removeFinalizer(r);
                return null;
            });
        }
    }

    public void pause(ProxySQLOpsRequest r, ProxySQL p) {
        write(r, step(r) + ": pause", () -> {
            pause.pause(p, r);
            return null;
        });
    }

    /**
     * Makes {@code r} the holder of its ProxySQL's ownership record, a write the API server decides between racing
     * requests; empty when it holds it, else the request that does ({@link ProxySQLOwnership#take}).
     */
    public java.util.Optional<String> takeOwnership(ProxySQLOpsRequest r) {
        return write(r, step(r) + ": take the ProxySQL", () -> ownership.take(r));
    }

    /** Gives the ProxySQL's ownership record back if it names {@code r} (after its final phase is stored). */
    public void releaseOwnership(ProxySQLOpsRequest r) {
        write(r, step(r) + ": give the ProxySQL back", () -> {
            ownership.release(r);
            return null;
        });
    }

    public void resume(ProxySQLOpsRequest r, ProxySQL p) {
        write(r, step(r) + ": resume", () -> {
            pause.resume(p);
            return null;
        });
    }

    public void changeTemplate(ProxySQLOpsRequest r, StatefulSet sts, TemplateChange change) {
        write(r, step(r) + ": pod template", () -> {
            template.change(sts, change);
            return null;
        });
    }

    public PodWriter.Eviction evict(ProxySQLOpsRequest r, String namespace, String pod, String uid) {
        return write(r, step(r) + ": evict " + pod, () -> pods.evict(namespace, pod, uid));
    }

    /** The operation's writes before the template changes ({@link Operation#prepareTemplate}). */
    public java.util.Optional<String> prepareTemplate(ProxySQLOpsRequest r, Operation op, ProxySQL p) {
        return write(r, step(r) + ": prepare the template", () -> op.prepareTemplate(r, p));
    }

    /** The operation's writes before the rollback's template and pods ({@link Operation#prepareRollback}). */
    public java.util.Optional<String> prepareRollback(ProxySQLOpsRequest r, Operation op, ProxySQL p) {
        return write(r, step(r) + ": prepare the rollback", () -> op.prepareRollback(r, p));
    }

    public void updateDatabase(ProxySQLOpsRequest r, Operation op, ProxySQL p) {
        write(r, step(r) + ": update the ProxySQL", () -> {
            op.updateDatabase(r, p);
            return null;
        });
    }

    /**
     * Any other write of a step ({@code what} names it in the stop point), e.g. a Reconfigure's change to one pod
     * ({@code "reconfigure px-1"}, {@code "restore px-0"}), a HorizontalScaling's config Secret, StatefulSet and
     * the ProxySQL nodes' membership, a ReconfigureTLS rotation's new certificate or one pod's reload, a RotateAuth's
     * auth Secret or one pod's admin credentials ({@code "rotate px-1 to state 3"}).
     */
    public <T> T act(ProxySQLOpsRequest r, String what, Supplier<T> action) {
        return write(r, step(r) + ": " + what, action);
    }



    public void normal(ProxySQLOpsRequest r, OpsReason reason, String message) {
        events.normal(r, reason.value(), message);
    }

    public void warning(ProxySQLOpsRequest r, OpsReason reason, String message) {
        events.warning(r, reason.value(), message);
    }

    private <T> T write(ProxySQLOpsRequest r, String what, Supplier<T> action) {
        stops.reached(r, "before " + what);
        T result = action.get();
        stops.reached(r, "after " + what);
        return result;
    }

    private static String step(ProxySQLOpsRequest r) {
        OpsRequestStatus s = r.getStatus();
        return s == null || s.getProgress() == null || s.getProgress().getStep() == null ? "Queued" : EnumNames.of(s.getProgress().getStep());
    }

    /**
     * A status write is named after what it records: the step, the phase once final, and the pods' states while
     * they are being replaced ({@code "status ReplacingPods px-0=Done px-1=Evicting"}).
     */
    public static String statusPoint(OpsRequestStatus s) {
        OpsProgress p = s == null ? null : s.getProgress();
        StringBuilder b = new StringBuilder(p == null || p.getStep() == null ? "Queued" : EnumNames.of(p.getStep())).append(": status");
        if (s != null && s.getPhase() != null && s.getPhase().isFinal()) {
            b.append(' ').append(EnumNames.of(s.getPhase()));
        }
        if (p != null && p.getPods() != null && !p.getPods().isEmpty()) {
            b.append(' ').append(p.getPods().stream().map(StepWriter::podState).collect(Collectors.joining(" ")));
        }
        if (p != null && p.getReconfigure() != null) {
            p.getReconfigure().getPods().forEach((pod, state) -> b.append(' ').append(pod).append('=').append(state));
        }
        if (p != null && p.getTlsRotation() != null) {
            b.append(p.getTlsRotation().getSerial() == null ? " issuing" : " issued");
            p.getTlsRotation().getPods().forEach((pod, state) -> b.append(' ').append(pod).append('=').append(state));
        }
        return b.toString();
    }

    private static String podState(PodProgress pod) {
        return pod.getName() + "=" + pod.getState();
    }
}
