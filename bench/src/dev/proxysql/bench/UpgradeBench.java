package dev.proxysql.bench;

import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.common.LocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.DeletionPolicy;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLSpec;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequestSpec;
import dev.proxysql.operator.api.ops.v1alpha1.UpdateVersionSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Upgrade vs native rollout: the same image change (ProxySQL 2.6.3-debian to 2.7.3-debian) done by a
 * ProxySQLOpsRequest of type UpdateVersion and by a plain StatefulSet with updateStrategy RollingUpdate and the same
 * pod template, for each size, alternating native and ops request in one run. Each measurement uses its own fresh
 * object (created and Ready before the first timing), so no run starts from a state a previous one left.
 */
public final class UpgradeBench {
    private static final String NS = "bench-upgrade";
    private static final String FROM = "2.6.3-debian";
    private static final String TO = "2.7.3-debian";
    static final String NATIVE_LABEL = "bench.proxysql.dev/native";
    private static final double TARGET_RATIO = 1.2;

    private static Audit audit;
    private static Path outDir;

    record Run(String what, int size, int round, double seconds, PodTimeline.Breakdown breakdown) {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(Bench.setting("repo", "."));
        Path kubeconfig = Path.of(Bench.required("kubeconfig"));
        Path jar = repo.resolve(Bench.setting("jar", "target/proxysql-operator.jar"));
        Path out = Path.of(Bench.setting("out", "target/bench"));
        String javaOpts = Bench.setting("operatorJavaOpts", "");
        List<Integer> sizes = Arrays.stream(Bench.setting("sizes", "3 10").trim().split("[\\s,]+")).map(Integer::parseInt).toList();
        int rounds = Bench.intSetting("rounds", 2);
        String delay = Bench.setting("podReadyDelayMs", "?");
        Duration timeout = Duration.ofSeconds(Bench.intSetting("timeoutSeconds", 600));
        String auditPath = Bench.setting("audit", null);
        audit = auditPath == null ? null : new Audit(Path.of(auditPath));
        outDir = out;

        KubernetesClient client = Bench.client(kubeconfig);
        Bench.namespace(client, NS);
        Bench.backend(client, repo, NS);
        String toImage = image(client, TO);

        Path opLog = out.resolve("upgrade-operator.log");
        Report.log("starting the operator: JVM options '%s', log %s", javaOpts, opLog);
        List<Run> runs = new ArrayList<>();
        try (OperatorProcess op = OperatorProcess.start(jar, kubeconfig, javaOpts, opLog,
                "--controllers=provisioner,ops_manager", "--no-proxysql-checks");
             PodTimeline timeline = new PodTimeline(client, NS)) {
            Report.log("creating %s ProxySQLs (sizes %s, %d rounds) at %s and waiting until they are Ready", sizes.size() * rounds, sizes, rounds, FROM);
            for (int size : sizes) {
                for (int r = 1; r <= rounds; r++) {
                    client.resource(proxysql(opsName(size, r), size)).create();
                }
            }
            for (int size : sizes) {
                for (int r = 1; r <= rounds; r++) {
                    String name = opsName(size, r);
                    await(timeout, "ProxySQL " + name + " Ready", op, () -> {
                        ProxySQL p = client.resources(ProxySQL.class).inNamespace(NS).withName(name).get();
                        return p != null && p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY;
                    });
                }
            }
            Report.log("creating the native StatefulSets: the operator's pod template, updateStrategy RollingUpdate");
            for (int size : sizes) {
                StatefulSet model = client.apps().statefulSets().inNamespace(NS).withName(opsName(size, 1)).get();
                for (int r = 1; r <= rounds; r++) {
                    client.resource(nativeStatefulSet(model, nativeName(size, r), size)).create();
                }
            }
            for (int size : sizes) {
                for (int r = 1; r <= rounds; r++) {
                    String name = nativeName(size, r);
                    await(timeout, "StatefulSet " + name + " rolled out", op, () -> rolledOut(client, name, size));
                }
            }
            await(Duration.ofSeconds(30), "pod timeline informer", op, timeline::synced);
            Thread.sleep(3000);

            for (int size : sizes) {
                for (int r = 1; r <= rounds; r++) {
                    runs.add(nativeRollout(client, timeline, op, size, r, toImage, timeout));
                    Thread.sleep(2000);
                    runs.add(opsRequest(client, timeline, op, size, r, toImage, timeout));
                    Thread.sleep(2000);
                }
            }
            Files.writeString(out.resolve("upgrade-ops-requests.yaml"), client.resources(ProxySQLOpsRequest.class).inNamespace(NS).list()
                    .getItems().stream().map(Serialization::asYaml).collect(Collectors.joining("\n")));
            op.checkAlive();
            long hwm = op.statusKiB("VmHWM");

            Report rep = new Report(String.format(Locale.ROOT,
                    "Upgrade %s -> %s: ProxySQLOpsRequest (UpdateVersion) vs native StatefulSet RollingUpdate, pod start-up delay %s ms",
                    FROM, TO, delay));
            for (int size : sizes) {
                List<Run> nat = runs.stream().filter(x -> x.size() == size && x.what().equals("native")).toList();
                List<Run> ops = runs.stream().filter(x -> x.size() == size && x.what().equals("ops")).toList();
                double n = median(nat);
                double o = median(ops);
                double ratio = o / n;
                rep.info(size + " replicas: native RollingUpdate, median of " + nat.size(), Report.seconds(n) + " (runs " + list(nat) + ")");
                rep.info(size + " replicas: ops request, median of " + ops.size(), Report.seconds(o) + " (runs " + list(ops) + ")");
                rep.row(size + " replicas: ops request / native", String.format(Locale.ROOT, "%.2fx", ratio),
                        String.format(Locale.ROOT, "<= %.1fx", TARGET_RATIO), ratio <= TARGET_RATIO);
            }
            rep.info("operator peak RSS (VmHWM)", Report.mib(hwm));
            rep.info("operator JVM options", javaOpts.isBlank() ? "(JVM defaults)" : javaOpts);
            rep.print();
            System.out.println("\nWhere the time went (driver clock, from pod events):");
            for (Run x : runs) {
                System.out.printf(Locale.ROOT, "  %2d replicas %-6s round %d: %6.1f s = %s%n", x.size(), x.what(), x.round(), x.seconds(),
                        x.breakdown().describe());
            }
        }
        client.close();
    }

    private static Run nativeRollout(KubernetesClient client, PodTimeline timeline, OperatorProcess op, int size, int round,
                                     String toImage, Duration timeout) throws InterruptedException {
        String name = nativeName(size, round);
        Report.log("native: %s, image -> %s", name, toImage);
        long mark = auditMark();
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        client.apps().statefulSets().inNamespace(NS).withName(name).edit(s -> {
            for (Container c : s.getSpec().getTemplate().getSpec().getContainers()) {
                if (c.getName().equals("proxysql")) {
                    c.setImage(toImage);
                }
            }
            return s;
        });
        await(timeout, "StatefulSet " + name + " rolled out", op, () -> rolledOut(client, name, size));
        long t1 = System.nanoTime();
        double s = (t1 - t0) / 1e9;
        PodTimeline.Breakdown b = timeline.breakdown(l -> name.equals(l.get(NATIVE_LABEL)), t0, t1);
        writeTimeline(name, mark, wall0);
        Report.log("native: %s done in %.1f s (%s)", name, s, b.describe());
        return new Run("native", size, round, s, b);
    }

    private static Run opsRequest(KubernetesClient client, PodTimeline timeline, OperatorProcess op, int size, int round,
                                  String toImage, Duration timeout) throws InterruptedException {
        String proxysql = opsName(size, round);
        String name = "upgrade-" + size + "-" + round;
        Report.log("ops request: %s on %s, %s -> %s", name, proxysql, FROM, TO);
        long mark = auditMark();
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        client.resource(updateVersion(name, proxysql)).create();
        await(timeout, "ProxySQLOpsRequest " + name + " Successful", op, () -> {
            ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).inNamespace(NS).withName(name).get();
            OpsRequestPhase phase = r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
            if (phase != null && phase.isFinal() && phase != OpsRequestPhase.SUCCESSFUL) {
                throw new IllegalStateException("ProxySQLOpsRequest " + name + " ended " + phase + ": " + Serialization.asYaml(r.getStatus()));
            }
            return phase == OpsRequestPhase.SUCCESSFUL;
        });
        long t1 = System.nanoTime();
        double s = (t1 - t0) / 1e9;
        long wrong = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", proxysql).list().getItems().stream()
                .filter(p -> !toImage.equals(p.getSpec().getContainers().get(0).getImage())).count();
        if (wrong > 0) {
            throw new IllegalStateException(wrong + " pod(s) of " + proxysql + " do not run " + toImage + " after a Successful request");
        }
        PodTimeline.Breakdown b = timeline.breakdown(l -> proxysql.equals(l.get("app.kubernetes.io/instance")), t0, t1);
        writeTimeline(name, mark, wall0);
        Report.log("ops request: %s Successful in %.1f s (%s)", name, s, b.describe());
        return new Run("ops", size, round, s, b);
    }

    private static long auditMark() {
        try {
            return audit == null ? 0 : audit.mark();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Every API write in the namespace during one run, from the audit log, with its time since the start (ms). */
    private static void writeTimeline(String name, long mark, long wall0) {
        if (audit == null) {
            return;
        }
        try {
            Thread.sleep(500);
            StringBuilder sb = new StringBuilder();
            for (Audit.Event e : audit.between(mark, audit.mark())) {
                if (!NS.equals(e.namespace()) || e.received() == null) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "%7d ms  %-6s %-28s %-22s %3d  %s%n", e.received().toEpochMilli() - wall0, e.verb(),
                        e.resource() + (e.subresource() == null ? "" : "/" + e.subresource()), e.name(), e.code(),
                        e.userAgent() == null ? "?" : e.userAgent().split("/")[0]));
            }
            Files.writeString(outDir.resolve("upgrade-writes-" + name + ".txt"), sb.toString());
        } catch (java.io.IOException e) {
            Report.log("could not write the timeline of %s: %s", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean rolledOut(KubernetesClient client, String name, int size) {
        return rolledOut(client, NS, name, size);
    }

    static boolean rolledOut(KubernetesClient client, String ns, String name, int size) {
        StatefulSet s = client.apps().statefulSets().inNamespace(ns).withName(name).get();
        StatefulSetStatus st = s == null ? null : s.getStatus();
        return st != null && st.getObservedGeneration() != null && st.getObservedGeneration() >= s.getMetadata().getGeneration()
                && Objects.equals(st.getUpdatedReplicas(), size) && Objects.equals(st.getReadyReplicas(), size)
                && Objects.equals(st.getReplicas(), size)
                && st.getUpdateRevision() != null && st.getUpdateRevision().equals(st.getCurrentRevision());
    }

    private static StatefulSet nativeStatefulSet(StatefulSet model, String name, int size) {
        return nativeStatefulSet(model, NS, name, size);
    }

    /**
     * A plain StatefulSet with the operator's pod template, labelled {@value #NATIVE_LABEL}={@code name} instead of the
     * operator's labels (so that none of its Services or its PodDisruptionBudget selects these pods).
     */
    static StatefulSet nativeStatefulSet(StatefulSet model, String ns, String name, int size) {
        PodTemplateSpec template = Serialization.clone(model.getSpec().getTemplate());
        Map<String, String> labels = new LinkedHashMap<>(Map.of(NATIVE_LABEL, name));
        template.getMetadata().setLabels(labels);
        return new StatefulSetBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).withLabels(labels).build())
                .withNewSpec()
                .withReplicas(size)
                .withServiceName(name)
                .withPodManagementPolicy(model.getSpec().getPodManagementPolicy())
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(template)
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .endSpec()
                .build();
    }

    private static ProxySQL proxysql(String name, int replicas) {
        ProxySQL p = new ProxySQL();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        ProxySQLSpec spec = new ProxySQLSpec();
        spec.setVersion(FROM);
        spec.setReplicas(replicas);
        spec.setBackend(new LocalObjectReference("mysql-server"));
        spec.setDeletionPolicy(DeletionPolicy.WIPE_OUT);
        p.setSpec(spec);
        return p;
    }

    private static ProxySQLOpsRequest updateVersion(String name, String proxysql) {
        ProxySQLOpsRequest r = new ProxySQLOpsRequest();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        ProxySQLOpsRequestSpec spec = new ProxySQLOpsRequestSpec();
        spec.setType(OpsRequestType.UPDATE_VERSION);
        spec.setProxyRef(new LocalObjectReference(proxysql));
        UpdateVersionSpec uv = new UpdateVersionSpec();
        uv.setTargetVersion(TO);
        spec.setUpdateVersion(uv);
        spec.setTimeout("5m");
        spec.setApply(ApplyOption.IF_READY);
        r.setSpec(spec);
        return r;
    }

    private static String image(KubernetesClient client, String version) {
        ProxySQLVersion v = client.resources(ProxySQLVersion.class).withName(version).get();
        return v.getSpec().getProxysql().getImage();
    }

    private static String opsName(int size, int round) {
        return "ops-" + size + "-" + round;
    }

    private static String nativeName(int size, int round) {
        return "native-" + size + "-" + round;
    }

    private static void await(Duration timeout, String what, OperatorProcess op, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        if (!Bench.await(timeout, Duration.ofMillis(100), () -> {
            op.checkAlive();
            return condition.getAsBoolean();
        })) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; operator log: " + op.log());
        }
    }

    private static double median(List<Run> runs) {
        double[] s = runs.stream().mapToDouble(Run::seconds).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String list(List<Run> runs) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%.1f", r.seconds())).collect(Collectors.joining(", ")) + " s";
    }
}
