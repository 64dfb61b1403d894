package dev.proxysql.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What both benchmarks share: settings from system properties, the driver's client, namespaces and backends. */
final class Bench {
    static final String DRIVER_USER_AGENT = "proxysql-bench-driver";

    private Bench() {
    }

    static String setting(String name, String fallback) {
        String v = System.getProperty("bench." + name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static String required(String name) {
        String v = setting(name, null);
        if (v == null) {
            throw new IllegalArgumentException("missing -Dbench." + name);
        }
        return v;
    }

    static int intSetting(String name, int fallback) {
        return Integer.parseInt(setting(name, Integer.toString(fallback)));
    }

    static KubernetesClient client(Path kubeconfig) {
        try {
            Config config = new ConfigBuilder(Config.fromKubeconfig(Files.readString(kubeconfig)))
                    .withUserAgent(DRIVER_USER_AGENT)
                    .withMaxConcurrentRequests(64).withMaxConcurrentRequestsPerHost(32)
                    .withRequestTimeout(60_000)
                    .build();
            return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A namespace like deploy/samples/namespace.yaml: the restricted Pod Security Standard is enforced. */
    static void namespace(KubernetesClient client, String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted")).endMetadata().build())
                .serverSideApply();
    }

    /** The backend of deploy/samples/backend.yaml (a Secret and an AppBinding) in {@code ns}. */
    static void backend(KubernetesClient client, Path repo, String ns) {
        applyIn(client, repo.resolve("deploy/samples/backend.yaml"), ns);
    }

    /** Every object of a manifest of namespaced objects, applied into {@code ns}. */
    static void applyIn(KubernetesClient client, Path manifest, String ns) {
        try (InputStream in = Files.newInputStream(manifest)) {
            for (HasMetadata o : client.load(in).items()) {
                o.getMetadata().setNamespace(ns);
                client.resource(o).fieldManager("bench").forceConflicts().serverSideApply();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the condition holds; false at the deadline. */
    static boolean await(Duration timeout, Duration every, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(every.toMillis());
        }
    }

    static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
