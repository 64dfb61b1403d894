package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.queue.Ownership;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One request at a time on one ProxySQL, with no admission webhook (no queue stamps): pairs of requests created at the
 * same moment from two threads, the second-created usually sorting first (same creationTimestamp second, name "aa-"
 * before "zz-"), so that the informer-based queue decides on a view where the other's status may not have arrived yet.
 * A watch on the requests sees every status write in the order the API server stored them; a request is running from
 * the first write that shows it out of the queue to the one that gives it a final phase. Two running at once is the
 * defect.
 */
@LocalCluster
class OneRequestAtATimeIT {
    private static final int PAIRS = 15;

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth);

    @Test
    void racingRequestsOnOneProxySqlNeverRunAtTheSameTime(KubernetesClient client, TestNamespace ns) throws Exception {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 1, null)).create();
        awaitReady(client, "px");

        Running running = new Running();
        try (Watch watch = client.resources(ProxySQLOpsRequest.class).inNamespace(ns.name()).watch(running)) {
            for (int i = 0; i < PAIRS; i++) {
                String first = "zz-" + i;
                String second = "aa-" + i;
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<?> a = CompletableFuture.runAsync(() -> create(client, ns, first, go));
                CompletableFuture<?> b = CompletableFuture.runAsync(() -> create(client, ns, second, go));
                go.countDown();
                CompletableFuture.allOf(a, b).join();
                awaitOps(client, first, OpsRequestPhase.SUCCESSFUL);
                awaitOps(client, second, OpsRequestPhase.SUCCESSFUL);
            }
        }
        assertThat(running.overlaps()).as("requests running at the same time on ProxySQL px, as the API server stored their status").isEmpty();
        assertThat(running.seen()).as("every request was seen running").hasSize(2 * PAIRS);
        assertNotPaused(client, "px");
        assertThat(client.resources(dev.proxysql.operator.api.kubedb.v1.ProxySQL.class).withName("px").get().getMetadata().getAnnotations())
                .as("every request gave the ProxySQL back").doesNotContainKey(Ownership.ANNOTATION);
    }

    private static void create(KubernetesClient client, TestNamespace ns, String name, CountDownLatch go) {
        ProxySQLOpsRequest r = OpsFixture.restart(ns, name, "px");
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        client.resource(r).create();
    }

    /** The requests running as the watch saw the API server store them; every moment two ran at once. */
    private static final class Running implements Watcher<ProxySQLOpsRequest> {
        private final Set<String> now = new LinkedHashSet<>();
        private final Set<String> seen = new LinkedHashSet<>();
        private final List<String> overlaps = new ArrayList<>();

        @Override
        public synchronized void eventReceived(Action action, ProxySQLOpsRequest r) {
            String name = r.getMetadata().getName();
            boolean left = r.getStatus() != null && r.getStatus().getProgress() != null && r.getStatus().getProgress().getStep() != null
                    && r.getStatus().getProgress().getStep() != OpsStep.QUEUED;
            boolean over = action == Action.DELETED || r.getStatus() != null && r.getStatus().getPhase() != null && r.getStatus().getPhase().isFinal();
            if (left && !over) {
                seen.add(name);
                if (now.add(name) && now.size() > 1) {
                    overlaps.add(String.join(" and ", now) + " (resourceVersion " + r.getMetadata().getResourceVersion() + ")");
                }
            } else if (over) {
                now.remove(name);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            if (cause != null) {
                synchronized (this) {
                    overlaps.add("the watch closed: " + cause.getMessage());
                }
            }
        }

        synchronized List<String> overlaps() {
            return List.copyOf(overlaps);
        }

        synchronized Set<String> seen() {
            return Set.copyOf(seen);
        }
    }
}
