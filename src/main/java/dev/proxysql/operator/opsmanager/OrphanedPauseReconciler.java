package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.io.PodWriter;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.io.ProxySQLPause;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EventRecorder;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes a ProxySQL whose pause no ops request holds any more. Normally the request that paused a ProxySQL resumes
 * it before it ends, and its finalizer keeps it in existence until then; but a finalizer removed by hand (or a
 * request deleted together with its finalizer while the operator was down) leaves the {@code Paused} condition behind,
 * and the provisioner would then ignore the ProxySQL for ever. A pause is held while any request on the ProxySQL is
 * unfinished or still carries a finalizer: a queued request will pause it itself, so it keeps the pause too. Only
 * pauses written by the ops manager (reason {@code PausedByOpsRequest}) are its business: a pause set by hand stays.
 */
@ControllerConfiguration(name = OrphanedPauseReconciler.NAME, generationAwareEventProcessing = false)
public class OrphanedPauseReconciler implements Reconciler<ProxySQL> {
    public static final String NAME = "proxysql-pause-guard";
    static final String REASON = OpsReason.RESUMED_ORPHANED_PAUSE.value();
    private static final Logger LOG = LoggerFactory.getLogger(OrphanedPauseReconciler.class);

    private final ProxySQLPause pause;
    private final EventRecorder events;
    private final PodWriter pods;

    public OrphanedPauseReconciler(KubernetesClient client, Clock clock) {
        // The ops manager's field manager: server-side apply removes the Paused condition only for the manager that set it.
        this.pause = new ProxySQLPause(client, OpsRequestReconciler.NAME, clock);
        this.events = new EventRecorder(client, NAME, clock);
        this.pods = new PodWriter(client);
    }

    @Override
    public List<EventSource<?, ProxySQL>> prepareEventSources(EventSourceContext<ProxySQL> context) {
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(ProxySQLOpsRequest.class, ProxySQL.class)
                .withName("opsrequests-of-proxysql")
                .withSecondaryToPrimaryMapper(r -> r.getSpec() == null || r.getSpec().getProxyRef() == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().getProxyRef().getName(), r.getMetadata().getNamespace())))
                .build(), context));
    }

    @Override
    public UpdateControl<ProxySQL> reconcile(ProxySQL proxysql, Context<ProxySQL> context) {
        if (!PauseProtocol.isPausedByOpsRequest(proxysql) || proxysql.getMetadata().getDeletionTimestamp() != null) {
            return UpdateControl.noUpdate();
        }
        Set<ProxySQLOpsRequest> requests = context.getSecondaryResources(ProxySQLOpsRequest.class);
        if (requests.stream().anyMatch(OrphanedPauseReconciler::holdsPause)) {
            return UpdateControl.noUpdate();
        }
        String pausedBy = Conditions.find(proxysql.getStatus().getConditions(), PauseProtocol.PAUSED)
                .map(Condition::getMessage).orElse("Paused");
        String message = pausedBy + ", but no ProxySQLOpsRequest on " + proxysql.getMetadata().getName()
                + " is running any more (its finalizer was removed, or it was deleted while the operator was down): resumed";
        // A scale-down that vanished midway may have left a drained pod out of the client Service: every pod still
        // there serves clients again (one that does not accept them yet is taken out by its readiness probe).
        List<String> back = pods.returnAllToClientService(proxysql);
        if (!back.isEmpty()) {
            message += "; pod(s) " + String.join(", ", back) + " put back into the client Service";
        }
        pause.resume(proxysql);
        events.warning(proxysql, REASON, message);
        LOG.warn("ProxySQL {}/{}: {}", proxysql.getMetadata().getNamespace(), proxysql.getMetadata().getName(), message);
        return UpdateControl.noUpdate();
    }

    /** Unfinished, or finished but still holding its finalizer (its last steps, resuming among them, may still run). */
    static boolean holdsPause(ProxySQLOpsRequest r) {
        boolean unfinished = r.getStatus() == null || r.getStatus().getPhase() == null || !r.getStatus().getPhase().isFinal();
        boolean finalizing = r.getMetadata().getFinalizers() != null && !r.getMetadata().getFinalizers().isEmpty();
        return unfinished || finalizing;
    }
}
