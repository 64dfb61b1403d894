package dev.proxysql.operator.opsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersionSpec;
import dev.proxysql.operator.api.common.MetadataTemplate;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.PodTemplateSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.OpsRequests;
import dev.proxysql.operator.testing.cluster.AuditLog;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.Pods;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Shared setup and checks of the ops-manager tests (and of the runtime tests that run ops requests). */
public final class OpsFixture {
    public static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** A version whose image never becomes Ready in the local cluster, allowed as an update from 2.6.3-debian. */
    public static final String BROKEN_VERSION = "2.7.3-broken";

    private OpsFixture() {
    }

    public static void installBrokenVersion(KubernetesClient admin) {
        ProxySQLVersion v = new ProxySQLVersion();
        v.setMetadata(new ObjectMetaBuilder().withName(BROKEN_VERSION).build());
        ProxySQLVersionSpec spec = new ProxySQLVersionSpec();
        // Compares below 2.7.3-debian ("broken" < "debian"), so 2.6.3-debian's allowlist admits it.
        spec.setVersion("2.7.3-broken");
        spec.setProxysql(new ProxySQLVersionSpec.ImageSpec(TestCluster.NEVER_READY_IMAGE));
        ProxySQLVersionSpec.PodSecurityPolicies psp = new ProxySQLVersionSpec.PodSecurityPolicies();
        psp.setDatabasePolicyName("proxysql-db");
        spec.setPodSecurityPolicies(psp);
        v.setSpec(spec);
        admin.resource(v).fieldManager("test-install").forceConflicts().serverSideApply();
    }

    /** A ProxySQL whose pods take {@code readyDelay} to become Ready, as real ProxySQL pods take time to start. */
    public static ProxySQL proxysql(TestNamespace ns, String name, int replicas, String readyDelay) {
        ProxySQL p = OperatorFixture.proxysql(ns.name(), name, "2.6.3-debian", replicas);
        if (readyDelay != null) {
            PodTemplateSpec template = new PodTemplateSpec();
            MetadataTemplate meta = new MetadataTemplate();
            meta.setAnnotations(Map.of(TestCluster.READY_DELAY_ANNOTATION, readyDelay));
            template.setMetadata(meta);
            p.getSpec().setPodTemplate(template);
        }
        return p;
    }

    public static ProxySQLOpsRequest updateVersion(TestNamespace ns, String name, String proxysql, String target, String timeout, int maxRetries) {
        return request(ns, name, proxysql, timeout, maxRetries).updateVersion(target).build();
    }

    static ProxySQLOpsRequest restart(TestNamespace ns, String name, String proxysql) {
        return request(ns, name, proxysql, "2m", 1).restart().build();
    }

    /** A VerticalScaling request giving the proxysql container {@code resources} (a ResourceRequirements as YAML). */
    public static ProxySQLOpsRequest verticalScaling(TestNamespace ns, String name, String proxysql, String resources, String timeout) {
        return request(ns, name, proxysql, timeout, 1).verticalScaling(resources).build();
    }

    /** A Reconfigure request; {@code configuration} is its spec.configuration as YAML, in KubeDB's form. */
    public static ProxySQLOpsRequest reconfigure(TestNamespace ns, String name, String proxysql, String configuration, String timeout) {
        return request(ns, name, proxysql, timeout, 1).reconfigure(configuration).build();
    }

    /** A HorizontalScaling request to {@code member} replicas. */
    public static ProxySQLOpsRequest horizontalScaling(TestNamespace ns, String name, String proxysql, int member, String timeout) {
        return request(ns, name, proxysql, timeout, 1).horizontalScaling(member).build();
    }

    /** A ReconfigureTLS request; {@code tls} is its spec.tls as YAML, in KubeDB's form. */
    public static ProxySQLOpsRequest reconfigureTls(TestNamespace ns, String name, String proxysql, String tls, String timeout) {
        return request(ns, name, proxysql, timeout, 1).reconfigureTls(tls).build();
    }

    /** A RotateAuth request; {@code secretRef}: the Secret with the new pair, or null for a generated password. */
    public static ProxySQLOpsRequest rotateAuth(TestNamespace ns, String name, String proxysql, String secretRef, String timeout) {
        return request(ns, name, proxysql, timeout, 1).rotateAuth(secretRef).build();
    }

    /** The ops manager ITs' requests: {@code apply: IfReady}, a timeout and a retry count ({@link OpsRequests}). */
    private static OpsRequests request(TestNamespace ns, String name, String proxysql, String timeout, int maxRetries) {
        return OpsRequests.on(ns.name(), proxysql).named(name).timeout(timeout).maxRetries(maxRetries).apply(ApplyOption.IF_READY);
    }

    /** Waits for the phase; for a final phase also for the finalizer to be released, the last thing the operator does. */
    public static ProxySQLOpsRequest awaitOps(KubernetesClient client, String name, OpsRequestPhase phase) {
        return awaitOps(client, name, phase, TIMEOUT);
    }

    /** {@link #awaitOps(KubernetesClient, String, OpsRequestPhase)} with a deadline of its own. */
    public static ProxySQLOpsRequest awaitOps(KubernetesClient client, String name, OpsRequestPhase phase, Duration timeout) {
        return Await.until(timeout, "ProxySQLOpsRequest " + name + " in phase " + phase + (phase.isFinal() ? " with its finalizer released" : ""),
                () -> client.resources(ProxySQLOpsRequest.class).withName(name).get(),
                r -> r != null && r.getStatus() != null && r.getStatus().getPhase() == phase
                        && (!phase.isFinal() || r.getMetadata().getFinalizers() == null || r.getMetadata().getFinalizers().isEmpty()));
    }

    public static ProxySQL awaitReady(KubernetesClient client, String name) {
        return Await.until(TIMEOUT, "ProxySQL " + name + " Ready",
                () -> client.resources(ProxySQL.class).withName(name).get(),
                p -> p != null && p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY);
    }

    /** The invariant of every ops test: a finished (or deleted) request leaves its ProxySQL not paused. */
    public static void assertNotPaused(KubernetesClient client, String proxysql) {
        ProxySQL p = client.resources(ProxySQL.class).withName(proxysql).get();
        assertThat(Conditions.isTrue(p.getStatus().getConditions(), PauseProtocol.PAUSED))
                .as("ProxySQL %s must not be paused once its ops request is over", proxysql).isFalse();
    }

    static String message(ProxySQLOpsRequest r, String type) {
        return Conditions.find(r.getStatus().getConditions(), type).map(c -> c.getMessage()).orElse("<no " + type + " condition>");
    }

    static Map<String, String> podImages(KubernetesClient client, String proxysql) {
        return client.pods().withLabel("app.kubernetes.io/instance", proxysql).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getSpec().getContainers().get(0).getImage(),
                        (a, b) -> a, TreeMap::new));
    }

    /** Successful evictions per pod name in the namespace, from the API server's audit log. */
    public static Map<String, Long> evictions(TestCluster cluster, TestNamespace ns) {
        return successfulPodCreates(cluster, ns, "eviction");
    }

    /**
     * Evictions per pod name in the namespace that took down a pod instance no earlier eviction had taken down: in the
     * audit log's order (each entry is written when its request completes), a successful eviction counts only if it is
     * the pod name's first or a pod of that name was created since the last one counted. A repeated eviction of a pod
     * that is already terminating (the Eviction API accepts it again, with no second disruption) does not count; the
     * eviction of a replacement does, whoever made the replacement (kwok's controller sometimes deletes a pod just
     * recreated under a name it was deleting, which {@link #podCreations} would count as a replacement).
     */
    public static Map<String, Long> disruptiveEvictions(TestCluster cluster, TestNamespace ns) {
        return disruptiveEvictions(cluster.auditLog().orElseThrow(() -> new AssertionError("the local cluster runs with an audit log")), ns.name());
    }

    static Map<String, Long> disruptiveEvictions(AuditLog audit, String namespace) {
        Map<String, Long> counted = new TreeMap<>();
        Map<String, Boolean> createdSinceEviction = new java.util.HashMap<>();
        for (AuditLog.Event e : audit.events(e -> "create".equals(e.verb()) && "pods".equals(e.resource())
                && e.code() >= 200 && e.code() < 300 && e.name() != null)) {
            if (!namespace.equals(e.namespace())) {
                continue;
            }
            if (e.subresource() == null) {
                createdSinceEviction.put(e.name(), true);
            } else if ("eviction".equals(e.subresource()) && createdSinceEviction.getOrDefault(e.name(), true)) {
                counted.merge(e.name(), 1L, Long::sum);
                createdSinceEviction.put(e.name(), false);
            }
        }
        return counted;
    }

    /**
     * Pods created per pod name in the namespace (by the StatefulSet controller), from the API server's audit log: one
     * for the first pod and one per replacement.
     */
    public static Map<String, Long> podCreations(TestCluster cluster, TestNamespace ns) {
        return successfulPodCreates(cluster, ns, null);
    }

    /** Successful creates of pods ({@code subresource} null) or of a pod subresource, per pod name in the namespace. */
    private static Map<String, Long> successfulPodCreates(TestCluster cluster, TestNamespace ns, String subresource) {
        AuditLog audit = cluster.auditLog().orElseThrow(() -> new AssertionError("the local cluster runs with an audit log"));
        return audit.events(e -> "create".equals(e.verb()) && "pods".equals(e.resource()) && Objects.equals(subresource, e.subresource())
                        && ns.name().equals(e.namespace()) && e.code() >= 200 && e.code() < 300).stream()
                .collect(Collectors.groupingBy(AuditLog.Event::name, TreeMap::new, Collectors.counting()));
    }

    /**
     * Watches a ProxySQL's pods and records the largest number that were out of service (not Ready, terminating or
     * missing) at the same moment.
     */
    static final class AvailabilityWatch implements AutoCloseable {
        private final SharedIndexInformer<Pod> informer;
        private final AtomicInteger worst = new AtomicInteger();
        private final int replicas;
        /** Counting starts once the initial list is in the store, so a half-filled cache is not mistaken for an outage. */
        private volatile boolean armed;

        AvailabilityWatch(KubernetesClient client, String proxysql, int replicas) {
            this.replicas = replicas;
            this.informer = client.pods().withLabel("app.kubernetes.io/instance", proxysql).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                    record();
                }

                @Override
                public void onUpdate(Pod oldPod, Pod newPod) {
                    record();
                }

                @Override
                public void onDelete(Pod pod, boolean unknown) {
                    record();
                }
            });
            Await.until(Duration.ofSeconds(30), "the pod informer of " + proxysql + " to sync", informer::hasSynced);
            armed = true;
            record();
        }

        private void record() {
            if (!armed) {
                return;
            }
            List<Pod> pods = informer.getStore().list();
            long serving = pods.stream().filter(p -> Pods.isReady(p) && !Pods.isTerminating(p)).count();
            worst.accumulateAndGet((int) (replicas - serving), Math::max);
        }

        int worstOutOfService() {
            return worst.get();
        }

        @Override
        public void close() {
            informer.close();
        }
    }
}
