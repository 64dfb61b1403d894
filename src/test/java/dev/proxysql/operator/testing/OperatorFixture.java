package dev.proxysql.operator.testing;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.common.LocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.DeletionPolicy;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLSpec;
import dev.proxysql.operator.kube.OperatorSerialization;
import dev.proxysql.operator.opsmanager.step.StopPoints;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** What the operator tests share: cluster-wide install, an in-process operator, and a backend to point at. */
public final class OperatorFixture {
    /** The operator's user agent, so the audit log can tell its requests from the test's. */
    public static final String OPERATOR_USER_AGENT = "proxysql-operator-under-test";
    public static final String BACKEND = "mysql-server";

    private OperatorFixture() {
    }

    /** Applies what an installation puts in a cluster besides the CRDs: the version catalog and the policies. */
    public static void installCatalogAndPolicies(KubernetesClient admin) {
        for (String dir : List.of("deploy/catalog", "deploy/policies")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        for (HasMetadata o : admin.load(in).items()) {
                            admin.resource(o).fieldManager("test-install").forceConflicts().serverSideApply();
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A client for the operator with its own user agent, and retries and JSON mapping as in production (Main). */
    public static KubernetesClient operatorClient(TestCluster cluster) {
        try {
            Config config = new ConfigBuilder(Config.fromKubeconfig(Files.readString(cluster.kubeconfig())))
                    .withUserAgent(OPERATOR_USER_AGENT).build();
            return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
                    .withKubernetesSerialization(OperatorSerialization.create()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the provisioner in this JVM, watching every namespace. */
    public static ProxySQLOperator startProvisioner(KubernetesClient operatorClient) {
        return start(operatorClient, new OperatorSettings(true, false, Set.of(), false));
    }

    /**
     * Starts both controllers in this JVM, watching every namespace, with ProxySQL-level checks off: pods of the
     * local cluster run no process.
     */
    public static ProxySQLOperator startBoth(KubernetesClient operatorClient) {
        return start(operatorClient, new OperatorSettings(true, true, Set.of(), false));
    }

    /** Both controllers, checks off, with the ops manager stopping where {@code stops} throws (the crash tests). */
    public static ProxySQLOperator startBoth(KubernetesClient operatorClient, StopPoints stops) {
        ProxySQLOperator operator = new ProxySQLOperator(operatorClient, new OperatorSettings(true, true, Set.of(), false),
                new SimpleMeterRegistry(), Optional.empty(), AdminEndpoints.podDns(), stops);
        operator.start();
        return operator;
    }

    /**
     * The provisioner (and the ops manager, if asked) with the ProxySQL-level work on, reaching every pod's admin
     * interface at the real ProxySQL process that stands for it ({@link ProxySqlPods#endpoints()}).
     */
    public static ProxySQLOperator startOnLocalProxySql(KubernetesClient operatorClient, boolean opsManager) {
        ProxySQLOperator operator = new ProxySQLOperator(operatorClient, new OperatorSettings(true, opsManager, Set.of(), true),
                new SimpleMeterRegistry(), Optional.empty(), ProxySqlPods.endpoints());
        operator.start();
        return operator;
    }

    private static ProxySQLOperator start(KubernetesClient operatorClient, OperatorSettings settings) {
        ProxySQLOperator operator = new ProxySQLOperator(operatorClient, settings, new SimpleMeterRegistry());
        operator.start();
        return operator;
    }

    /** The backend Secret and a KubeDB-style AppBinding for a group-replication MySQL. */
    public static void createBackend(KubernetesClient client, String ns) {
        client.secrets().inNamespace(ns).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(BACKEND + "-auth").withNamespace(ns).build())
                .withType("kubernetes.io/basic-auth")
                .withStringData(Map.of("username", "root", "password", "backend-secret-pw"))
                .build()).create();
        AppBinding binding = client.resources(AppBinding.class)
                .load(OperatorFixture.class.getResourceAsStream("/manifests/appbinding-mysql.yaml")).item();
        binding.getMetadata().setNamespace(ns);
        client.resource(binding).create();
    }

    public static ProxySQL proxysql(String ns, String name, String version, int replicas) {
        ProxySQL p = new ProxySQL();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        ProxySQLSpec spec = new ProxySQLSpec();
        spec.setVersion(version);
        spec.setReplicas(replicas);
        spec.setBackend(new LocalObjectReference(BACKEND));
        spec.setDeletionPolicy(DeletionPolicy.DELETE);
        p.setSpec(spec);
        return p;
    }
}
