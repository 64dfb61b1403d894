package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.config.ProxySqlPeers;
import dev.proxysql.operator.topology.KubeDbLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code proxysql} process for every pod of one ProxySQL in the local cluster, whose pods run no process:
 * when a pod appears, a process of the version its image names starts from the ProxySQL's real config Secret (as the
 * pod would mount it) on the pod's fixed loopback address; when the pod is deleted, its process stops and its datadir
 * goes (an emptyDir). The operator's ProxySQL-level check then talks to real ProxySQL through {@link #endpoints()}.
 * An image this fixture does not know runs no process, like an image whose ProxySQL does not start.
 */
public final class ProxySqlPods implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxySqlPods.class);
    /** namespace/pod to loopback address, for every fixture in this JVM (the operator starts once per test class). */
    private static final Map<String, String> ADDRESSES = new ConcurrentHashMap<>();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final LocalProxySql fleet;
    private final Map<String, String> versionByImage;
    private final Map<String, String> addressByPod = new LinkedHashMap<>();
    private final Map<String, ProxySqlNode> nodeByPod = new ConcurrentHashMap<>();
    private final Map<String, String> uidByPod = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "proxysql-pods"));
    private final java.util.Set<String> neverStart = ConcurrentHashMap.newKeySet();
    private SharedIndexInformer<Pod> informer;
    private SharedIndexInformer<Secret> secrets;
    private volatile java.util.function.Predicate<Pod> refuse = p -> false;
    /** Pod name to the TLS Secret its template mounts and the node's volume of it (the kubelet's view). */
    private final Map<String, Map.Entry<String, SecretVolume>> tlsByPod = new ConcurrentHashMap<>();

    /**
     * {@code versionByImage}: the proxysql container's image to the built ProxySQL version it stands for;
     * {@code replicas}: how many pods may exist at once (addresses are reserved for ordinals 0..replicas-1).
     */
    public ProxySqlPods(KubernetesClient client, String namespace, String name, int replicas, LocalProxySql fleet,
                        Map<String, String> versionByImage) throws java.io.IOException {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.fleet = fleet;
        this.versionByImage = Map.copyOf(versionByImage);
        List<String> addresses = fleet.reserveAddresses(replicas);
        for (int i = 0; i < replicas; i++) {
            addressByPod.put(name + "-" + i, addresses.get(i));
            ADDRESSES.put(namespace + "/" + name + "-" + i, addresses.get(i));
        }
    }

    /** Where the check reaches each pod: its process's loopback address, admin port. */
    public static AdminEndpoints endpoints() {
        return (p, pod) -> {
            String address = ADDRESSES.get(p.getMetadata().getNamespace() + "/" + pod);
            if (address == null) {
                throw new IllegalStateException("no local ProxySQL stands for pod " + p.getMetadata().getNamespace() + "/" + pod);
            }
            return new AdminEndpoint(address, ProxySqlNode.ADMIN_PORT);
        };
    }

    /** Follows the ProxySQL's pods from now on. */
    public ProxySqlPods start() {
        informer = client.pods().inNamespace(namespace).withLabels(KubeDbLabels.selector(name)).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                follow(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                follow(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                worker.submit(() -> stop(pod.getMetadata().getName(), pod.getMetadata().getUid()));
            }
        });
        // As the kubelet does (later, and in its own time): a changed Secret is written into every volume mounting it.
        secrets = client.secrets().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
            }

            @Override
            public void onUpdate(Secret before, Secret secret) {
                worker.submit(() -> tlsByPod.forEach((pod, mounted) -> {
                    if (mounted.getKey().equals(secret.getMetadata().getName())) {
                        try {
                            mounted.getValue().write(secret);
                        } catch (java.io.IOException e) {
                            LOG.warn("pod {}: cannot update the volume of Secret {}: {}", pod, mounted.getKey(), e.toString());
                        }
                    }
                }));
            }

            @Override
            public void onDelete(Secret secret, boolean unknownFinalState) {
            }
        });
        return this;
    }

    /** From now on, a pod matching {@code refuse} gets no process, like a pod whose container does not start. */
    public ProxySqlPods refuseToStart(java.util.function.Predicate<Pod> refuse) {
        this.refuse = refuse;
        return this;
    }

    /** From now on no process stands for {@code pod}: as a pod whose ProxySQL never starts. */
    public ProxySqlPods neverStart(String pod) {
        neverStart.add(pod);
        return this;
    }

    /** The node standing for the pod now, if one runs. */
    public ProxySqlNode node(String pod) {
        return nodeByPod.get(pod);
    }

    private void follow(Pod pod) {
        String podName = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            worker.submit(() -> stop(podName, uid));
        } else if (!uid.equals(uidByPod.get(podName))) {
            uidByPod.put(podName, uid);
            worker.submit(() -> run(pod));
        }
    }

    private void run(Pod pod) {
        String podName = pod.getMetadata().getName();
        stop(podName, null);
        String image = pod.getSpec().getContainers().get(0).getImage();
        String version = versionByImage.get(image);
        if (neverStart.contains(podName)) {
            LOG.info("pod {}: told never to start; no process", podName);
            return;
        }
        if (version == null) {
            LOG.info("pod {}: image {} stands for no ProxySQL build; no process", podName, image);
            return;
        }
        if (refuse.test(pod)) {
            LOG.info("pod {}: refused by the test; no process", podName);
            return;
        }
        try {
            // The peers the config names (a HorizontalScaling renders it for each member count; addresses are reserved
            // for as many pods as the test may scale to).
            Map<String, String> peers = new LinkedHashMap<>();
            String config = config();
            List<String> names = ProxySqlPeers.stableDnsNames(name, namespace, addressByPod.size());
            for (int i = 0; i < names.size(); i++) {
                if (config.contains("hostname=\"" + names.get(i) + "\"")) {
                    peers.put(names.get(i), addressByPod.get(name + "-" + i));
                }
            }
            ProxySqlNode node = fleet.createNode(version, config, addressByPod.get(podName), peers);
            java.util.Optional<String> tls = PodTlsMount.secretName(pod.getSpec());
            if (tls.isPresent()) {
                // Like the kubelet: a pod whose Secret does not exist does not start its containers.
                Secret secret = client.secrets().inNamespace(namespace).withName(tls.get()).get();
                if (secret == null) {
                    LOG.info("pod {}: Secret {} does not exist; no process (the kubelet would not start it)", podName, tls.get());
                    return;
                }
                tlsByPod.put(podName, Map.entry(tls.get(), PodTlsMount.mount(pod.getSpec(), secret, node)));
            }
            nodeByPod.put(podName, node);
            node.start();
            LOG.info("pod {} (UID {}): ProxySQL {} runs at {}", podName, pod.getMetadata().getUid(), version, node.address());
        } catch (Exception e) {
            LOG.warn("pod {}: ProxySQL {} did not start: {}", podName, version, e.toString());
        }
    }

    /** Stops the process of {@code podName} (only if it stands for {@code uid}, when given). */
    private void stop(String podName, String uid) {
        if (uid != null && !uid.equals(uidByPod.get(podName))) {
            return;
        }
        ProxySqlNode node = nodeByPod.remove(podName);
        tlsByPod.remove(podName);
        if (node != null) {
            node.stop();
        }
        if (uid != null) {
            uidByPod.remove(podName, uid);
        }
    }

    /** The ProxySQL's proxysql.cnf as the provisioner wrote it into its config Secret. */
    private String config() {
        Secret secret = client.secrets().inNamespace(namespace).withName(name + "-configuration").get();
        return new String(Base64.getDecoder().decode(secret.getData().get("proxysql.cnf")), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (informer != null) {
            informer.stop();
        }
        if (secrets != null) {
            secrets.stop();
        }
        worker.shutdown();
        worker.awaitTermination(60, TimeUnit.SECONDS);
        nodeByPod.values().forEach(ProxySqlNode::stop);
        addressByPod.keySet().forEach(pod -> ADDRESSES.remove(namespace + "/" + pod));
    }
}
