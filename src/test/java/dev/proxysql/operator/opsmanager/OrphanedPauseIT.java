package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.TIMEOUT;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.ClientServiceMembership;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pause that no request holds any more is healed: a request that paused its ProxySQL loses its finalizer by hand and
 * is deleted mid-flight (as when it is deleted while the operator is down), and the ProxySQL is resumed with a Warning
 * Event saying why, so the provisioner takes it back. While the request exists, the pause is left alone.
 */
@LocalCluster
class OrphanedPauseIT {
    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth);


    @Test
    void aPauseLeftByARequestThatVanishedIsResumedWithAnEvent(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, "1s")).create();
        awaitReady(client, "px");
        // A budget that allows no disruption keeps the request in ReplacingPods, paused, for as long as the test needs.
        client.policy().v1().podDisruptionBudget().withName("px")
                .edit(pdb -> new PodDisruptionBudgetBuilder(pdb).editSpec().withMaxUnavailable(new IntOrString(0)).endSpec().build());
        Await.until(TIMEOUT, "the PodDisruptionBudget px to allow no disruption", () -> {
            PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().withName("px").get();
            return pdb.getStatus() != null && Integer.valueOf(0).equals(pdb.getStatus().getDisruptionsAllowed())
                    && pdb.getMetadata().getGeneration().equals(pdb.getStatus().getObservedGeneration());
        });
        client.resource(OpsFixture.restart(ns, "stuck", "px")).create();
        Await.until(TIMEOUT, "px paused by the request and the pause acknowledged by the provisioner",
                () -> client.resources(ProxySQL.class).withName("px").get(),
                p -> PauseProtocol.isPausedByOpsRequest(p) && PauseProtocol.isAcknowledged(p));
        Await.until(TIMEOUT, "the request trying to evict a pod (the budget refuses)",
                () -> eventReasons(client, "ProxySQLOpsRequest", "stuck"), reasons -> reasons.contains("EvictionRefused"));
        assertThat(PauseProtocol.isPausedByOpsRequest(client.resources(ProxySQL.class).withName("px").get()))
                .as("a pause held by a running request stays").isTrue();

        // As a scale-down that vanished midway would leave it: px-1 out of the client Service.
        client.pods().withName("px-1").patch(PatchContext.of(PatchType.JSON_MERGE), ClientServiceMembership.leavePatch(Instant.now()));
        client.resources(ProxySQLOpsRequest.class).withName("stuck").edit(r -> {
            r.getMetadata().setFinalizers(List.of());
            return r;
        });
        client.resources(ProxySQLOpsRequest.class).withName("stuck").delete();

        ProxySQL resumed = Await.until(TIMEOUT, "px resumed once no request holds its pause",
                () -> client.resources(ProxySQL.class).withName("px").get(),
                p -> Conditions.find(p.getStatus().getConditions(), PauseProtocol.PAUSED).isEmpty()
                        && Conditions.find(p.getStatus().getConditions(), PauseProtocol.PROVISIONER_PAUSED).isEmpty());
        assertThat(resumed.getStatus().getConditions()).extracting(Condition::getType).doesNotContain(PauseProtocol.PAUSED);
        Event event = Await.until(TIMEOUT, "a Warning Event on px saying why it was resumed",
                () -> events(client, "ProxySQL", "px").stream().filter(e -> OrphanedPauseReconciler.REASON.equals(e.getReason()))
                        .findFirst().orElse(null), e -> e != null);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains("Paused by ProxySQLOpsRequest stuck (Restart)", "resumed",
                "pod(s) px-1 put back into the client Service");
        assertThat(ClientServiceMembership.selects(client.pods().withName("px-1").get())).as("px-1 selected by the client Service again").isTrue();
        assertThat(ClientServiceMembership.outSince(client.pods().withName("px-1").get())).as("the note of when it left is gone").isEmpty();
    }

    @Test
    void aPauseSetByHandIsNotTheOpsManagersBusiness(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "held", 1, "0s")).create();
        awaitReady(client, "held");
        ProxySQL held = client.resources(ProxySQL.class).withName("held").get();
        Condition byHand = new Condition(PauseProtocol.PAUSED, Condition.TRUE, "MaintenanceWindow", "paused by the DBA");
        byHand.setLastTransitionTime("2026-01-01T00:00:00Z");
        held.getStatus().getConditions().add(byHand);
        client.resource(held).updateStatus();

        // The provisioner acknowledging the pause is a status change that reaches the guard too.
        Await.until(TIMEOUT, "the provisioner to acknowledge the pause set by hand",
                () -> client.resources(ProxySQL.class).withName("held").get(), PauseProtocol::isAcknowledged);
        assertThat(Conditions.isTrue(client.resources(ProxySQL.class).withName("held").get().getStatus().getConditions(),
                PauseProtocol.PAUSED)).as("still paused").isTrue();
        assertThat(events(client, "ProxySQL", "held")).extracting(Event::getReason).doesNotContain(OrphanedPauseReconciler.REASON);
    }

    private static List<String> eventReasons(KubernetesClient client, String kind, String name) {
        return events(client, kind, name).stream().map(Event::getReason).toList();
    }

    private static List<Event> events(KubernetesClient client, String kind, String name) {
        return client.v1().events().list().getItems().stream()
                .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
                .toList();
    }
}
