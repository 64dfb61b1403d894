package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.PrunedCaches;
import dev.proxysql.operator.topology.KubeDbLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops manager's JOSDK entry point; all logic is in {@link OpsStateMachine}. It reconciles on every event,
 * deletions included ({@code triggerReconcilerOnAllEvents}), because it manages its finalizer itself: held only
 * while a request runs, so that deleting a running request cancels it cleanly and deleting a finished one never
 * waits for the operator. Pods, the StatefulSet and the ProxySQL wake up the unfinished requests that concern them;
 * the state machine reads them live at every step, so their informers keep metadata only.
 */
@ControllerConfiguration(name = OpsRequestReconciler.NAME, generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public class OpsRequestReconciler implements Reconciler<ProxySQLOpsRequest> {
    public static final String NAME = "proxysql-ops-manager";
    static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(OpsRequestReconciler.class);
    private final OpsStateMachine machine;

    public OpsRequestReconciler(OpsStateMachine machine) {
        this.machine = machine;
    }

    @Override
    public List<EventSource<?, ProxySQLOpsRequest>> prepareEventSources(EventSourceContext<ProxySQLOpsRequest> context) {
        machine.metrics().track(() -> context.getPrimaryCache().list());
        return List.of(
                informer(Pod.class, context, pod -> instance(pod)),
                informer(StatefulSet.class, context, sts -> instance(sts)),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(ProxySQL.class, ProxySQLOpsRequest.class)
                        .withName("proxysqls-of-ops")
                        .withItemStore(PrunedCaches.metadataOnly(ProxySQL.class))
                        .withSecondaryToPrimaryMapper(p -> requestsFor(context, p.getMetadata().getNamespace(), p.getMetadata().getName()))
                        .build(), context));
    }

    private static <R extends HasMetadata> InformerEventSource<R, ProxySQLOpsRequest> informer(
            Class<R> kind, EventSourceContext<ProxySQLOpsRequest> context, Function<R, String> proxysqlName) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, ProxySQLOpsRequest.class)
                .withName(kind.getSimpleName().toLowerCase() + "-of-ops")
                .withLabelSelector(KubeDbLabels.ALL_OFFSHOOTS)
                .withItemStore(PrunedCaches.metadataOnly(kind))
                .withSecondaryToPrimaryMapper(r -> {
                    String name = proxysqlName.apply(r);
                    return name == null ? Set.of() : requestsFor(context, r.getMetadata().getNamespace(), name);
                })
                .build(), context);
    }

    private static String instance(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(KubeDbLabels.INSTANCE);
    }

    /** Unfinished requests on this ProxySQL: only they care about its pods. */
    private static Set<ResourceID> requestsFor(EventSourceContext<ProxySQLOpsRequest> context, String namespace, String proxysql) {
        return context.getPrimaryCache().list()
                .filter(r -> namespace.equals(r.getMetadata().getNamespace()) && proxysql.equals(r.getSpec().getProxyRef().getName()))
                .filter(r -> r.getStatus() == null || r.getStatus().getPhase() == null || !r.getStatus().getPhase().isFinal())
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<ProxySQLOpsRequest> reconcile(ProxySQLOpsRequest request, Context<ProxySQLOpsRequest> context) {
        if (context.isPrimaryResourceDeleted()) {
            return UpdateControl.noUpdate();
        }
        List<ProxySQLOpsRequest> all = context.getPrimaryCache().list().toList();
        try {
            return machine.advance(request, all)
                    .map(after -> UpdateControl.<ProxySQLOpsRequest>noUpdate().rescheduleAfter(after))
                    .orElseGet(UpdateControl::noUpdate);
        } catch (KubernetesClientException e) {
            // The state machine bounds refused writes itself; this is the net under it (e.g. its failure path's own
            // status write refused too). The framework's retries end after a few attempts, a reschedule never does.
            LOG.warn("ProxySQLOpsRequest {}/{}: {}; trying again in {}", request.getMetadata().getNamespace(),
                    request.getMetadata().getName(), e.getMessage(), RETRY_AFTER_ERROR);
            return UpdateControl.<ProxySQLOpsRequest>noUpdate().rescheduleAfter(RETRY_AFTER_ERROR);
        }
    }
}
