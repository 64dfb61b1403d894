package dev.proxysql.bench;

import dev.proxysql.operator.api.common.LocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.DeletionPolicy;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Provisioner scale: N single-replica ProxySQLs across M namespaces. Measures the time until every one has its
 * children (StatefulSet, primary and governing Service, auth and configuration Secret) and a computed phase
 * (status.phase set with status.observedGeneration = metadata.generation), the time until every one is Ready, the
 * operator's peak RSS, and the operator's API writes (audit log, by user agent) during an idle window afterwards.
 */
public final class ScaleBench {
    private static final String LABELS = "app.kubernetes.io/name=proxysqls.kubedb.com,app.kubernetes.io/managed-by=kubedb.com";

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(Bench.setting("repo", "."));
        Path kubeconfig = Path.of(Bench.required("kubeconfig"));
        Audit audit = new Audit(Path.of(Bench.required("audit")));
        Path jar = repo.resolve(Bench.setting("jar", "target/proxysql-operator.jar"));
        Path out = Path.of(Bench.setting("out", "target/bench"));
        String javaOpts = Bench.setting("operatorJavaOpts", "");
        int objects = Bench.intSetting("objects", 1000);
        int namespaces = Bench.intSetting("namespaces", 20);
        int idleSeconds = Bench.intSetting("idleSeconds", 60);
        int timeoutSeconds = Bench.intSetting("timeoutSeconds", 900);
        boolean profile = Boolean.parseBoolean(Bench.setting("profile", "false"));
        double targetSeconds = 90;
        long targetRssMiB = 300;

        KubernetesClient client = Bench.client(kubeconfig);
        Report.log("setting up %d namespaces with a backend AppBinding and Secret each", namespaces);
        List<String> nss = new ArrayList<>();
        for (int i = 0; i < namespaces; i++) {
            nss.add(String.format("bench-%02d", i));
        }
        for (String ns : nss) {
            Bench.namespace(client, ns);
            Bench.backend(client, repo, ns);
        }
        Bench.namespace(client, "bench-warmup");
        Bench.backend(client, repo, "bench-warmup");

        Path opLog = out.resolve("scale-operator.log");
        Report.log("starting the operator: JVM options '%s', log %s", javaOpts, opLog);
        try (OperatorProcess op = OperatorProcess.start(jar, kubeconfig, javaOpts, opLog,
                "--controllers=" + Bench.setting("controllers", "provisioner,ops_manager"), "--no-proxysql-checks")) {
            long started = System.nanoTime();
            // Warm-up: one ProxySQL in its own namespace; its Ready phase says the operator is up and watching.
            client.resource(proxysql("bench-warmup", "warmup")).create();
            if (!Bench.await(Duration.ofSeconds(180), Duration.ofMillis(200), () -> {
                op.checkAlive();
                ProxySQL p = client.resources(ProxySQL.class).inNamespace("bench-warmup").withName("warmup").get();
                return p != null && p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY;
            })) {
                throw new IllegalStateException("the warm-up ProxySQL did not become Ready within 180 s; see " + opLog);
            }
            double warmup = Bench.secondsSince(started);
            long rssBefore = op.statusKiB("VmRSS");
            Report.log("operator up: warm-up ProxySQL Ready %.1f s after start; RSS %d MiB", warmup, rssBefore / 1024);

            SharedIndexInformer<ProxySQL> pxs = client.resources(ProxySQL.class).inAnyNamespace().inform();
            SharedIndexInformer<StatefulSet> stss = client.apps().statefulSets().inAnyNamespace().withLabelSelector(LABELS).inform();
            SharedIndexInformer<Service> svcs = client.services().inAnyNamespace().withLabelSelector(LABELS).inform();
            SharedIndexInformer<Secret> secrets = client.secrets().inAnyNamespace().withLabelSelector(LABELS).inform();
            Bench.await(Duration.ofSeconds(60), Duration.ofMillis(100),
                    () -> pxs.hasSynced() && stss.hasSynced() && svcs.hasSynced() && secrets.hasSynced());

            Report.log("creating %d ProxySQLs (replicas 1) across %d namespaces", objects, namespaces);
            long markCreate = audit.mark();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                ProxySQL p = proxysql(nss.get(i % namespaces), String.format("px-%04d", i));
                creates.add(pool.submit(() -> client.resource(p).create()));
            }
            for (Future<?> f : creates) {
                f.get();
            }
            pool.shutdown();
            double created = Bench.secondsSince(t0);
            Report.log("all %d created in %.1f s", objects, created);

            Set<String> bench = new HashSet<>(nss);
            double complete = -1;
            double ready = -1;
            long lastLog = 0;
            long deadline = t0 + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (ready < 0) {
                op.checkAlive();
                Set<String> sts = keys(stss);
                Set<String> svc = keys(svcs);
                Set<String> sec = keys(secrets);
                int nComplete = 0;
                int nReady = 0;
                Map<String, Integer> phases = new TreeMap<>();
                for (ProxySQL p : pxs.getStore().list()) {
                    String ns = p.getMetadata().getNamespace();
                    if (!bench.contains(ns)) {
                        continue;
                    }
                    String k = ns + "/" + p.getMetadata().getName();
                    boolean children = sts.contains(k) && svc.contains(k) && svc.contains(k + "-pods")
                            && sec.contains(k + "-auth") && sec.contains(k + "-configuration");
                    boolean phase = p.getStatus() != null && p.getStatus().getPhase() != null
                            && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration());
                    phases.merge(phase ? String.valueOf(p.getStatus().getPhase()) : "none", 1, Integer::sum);
                    if (children && phase) {
                        nComplete++;
                    }
                    if (p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY) {
                        nReady++;
                    }
                }
                if (complete < 0 && nComplete == objects) {
                    complete = Bench.secondsSince(t0);
                    Report.log("all %d have their children and a computed phase after %.1f s", objects, complete);
                }
                if (nReady == objects) {
                    ready = Bench.secondsSince(t0);
                    Report.log("all %d Ready after %.1f s", objects, ready);
                    break;
                }
                if (System.nanoTime() - lastLog > 5_000_000_000L) {
                    lastLog = System.nanoTime();
                    Report.log("t=%5.1fs complete %d/%d ready %d, phases %s, operator RSS %d MiB (peak %d MiB)",
                            Bench.secondsSince(t0), nComplete, objects, nReady, phases, op.statusKiB("VmRSS") / 1024, op.statusKiB("VmHWM") / 1024);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all Ready within " + timeoutSeconds + " s (complete " + nComplete
                            + ", Ready " + nReady + "); see " + opLog);
                }
                Thread.sleep(200);
            }

            long markIdle = audit.mark();
            List<Audit.Event> busy = audit.between(markCreate, markIdle).stream().filter(e -> e.byAgent(OperatorProcess.USER_AGENT)).toList();
            Report.log("idle window: %d s with nothing changing", idleSeconds);
            long idleEnd = System.nanoTime() + idleSeconds * 1_000_000_000L;
            while (System.nanoTime() < idleEnd) {
                op.checkAlive();
                Thread.sleep(1000);
            }
            long markEnd = audit.mark();
            List<Audit.Event> idle = audit.between(markIdle, markEnd);
            List<Audit.Event> idleByOperator = idle.stream().filter(e -> e.byAgent(OperatorProcess.USER_AGENT)).toList();
            Map<String, Long> idleOthersInBench = idle.stream().filter(e -> !e.byAgent(OperatorProcess.USER_AGENT)
                    && e.namespace() != null && bench.contains(e.namespace())).collect(Collectors.groupingBy(
                    e -> e.verb() + " " + e.resource() + (e.subresource() == null ? "" : "/" + e.subresource()) + " by "
                            + (e.userAgent() == null ? "?" : e.userAgent().split(" ")[0]), TreeMap::new, Collectors.counting()));
            long hwm = op.statusKiB("VmHWM");
            long rss = op.statusKiB("VmRSS");
            long threads = op.threads();
            if (profile) {
                Path p = out.resolve("scale-profile.txt");
                String text = "== GC.heap_info\n" + op.jcmd("GC.heap_info")
                        + "\n== VM.native_memory summary\n" + op.jcmd("VM.native_memory", "summary")
                        + "\n== GC.class_histogram (live, top 40)\n" + op.jcmd("GC.class_histogram").lines().limit(44).collect(Collectors.joining("\n"))
                        + "\n== GC.heap_info after full GC\n" + op.jcmd("GC.heap_info");
                Files.writeString(p, text);
                Report.log("profile written to %s", p);
            }
            pxs.close();
            stss.close();
            svcs.close();
            secrets.close();

            Map<String, Long> busyByKind = busy.stream().collect(Collectors.groupingBy(
                    e -> e.verb() + " " + e.resource() + (e.subresource() == null ? "" : "/" + e.subresource()), TreeMap::new, Collectors.counting()));
            Report r = new Report(String.format("Provisioner scale: %d single-replica ProxySQLs in %d namespaces", objects, namespaces));
            r.row("time until all have children + computed phase", Report.seconds(complete), "< 90 s", complete < targetSeconds);
            r.row("operator peak RSS (VmHWM)", Report.mib(hwm), "< " + targetRssMiB + " MiB", hwm / 1024.0 < targetRssMiB);
            r.row("operator API writes in " + idleSeconds + " s idle", Long.toString(idleByOperator.size()), "0", idleByOperator.isEmpty());
            r.info("  creating the " + objects + " objects took", Report.seconds(created));
            r.info("  time until all Ready (pods Ready)", Report.seconds(ready));
            r.info("  operator RSS after warm-up / at end", Report.mib(rssBefore) + " / " + Report.mib(rss));
            r.info("  operator threads at end", Long.toString(threads));
            r.info("  operator JVM options", javaOpts.isBlank() ? "(JVM defaults)" : javaOpts);
            r.info("  operator writes while provisioning", busy.size() + " (" + String.format("%.2f", busy.size() / (double) objects) + " per object)");
            busyByKind.forEach((k, v) -> r.info("    " + k, Long.toString(v)));
            r.info("  other writes in bench namespaces while idle", Long.toString(idleOthersInBench.values().stream().mapToLong(Long::longValue).sum()));
            idleOthersInBench.forEach((k, v) -> r.info("    " + k, Long.toString(v)));
            r.print();
            if (!idleByOperator.isEmpty()) {
                System.out.println("operator writes while idle (first 20):");
                idleByOperator.stream().limit(20).forEach(e -> System.out.println("  " + e));
            }
        }
        client.close();
    }

    private static Set<String> keys(SharedIndexInformer<? extends HasMetadata> informer) {
        Set<String> keys = new HashSet<>();
        for (HasMetadata o : informer.getStore().list()) {
            keys.add(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
        }
        return keys;
    }

    static ProxySQL proxysql(String ns, String name) {
        ProxySQL p = new ProxySQL();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        ProxySQLSpec spec = new ProxySQLSpec();
        spec.setVersion("2.6.3-debian");
        spec.setReplicas(1);
        spec.setBackend(new LocalObjectReference("mysql-server"));
        spec.setDeletionPolicy(DeletionPolicy.WIPE_OUT);
        p.setSpec(spec);
        return p;
    }
}
