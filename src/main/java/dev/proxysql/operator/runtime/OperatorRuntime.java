package dev.proxysql.operator.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.proxysql.operator.kube.OperatorSerialization;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operator process from start to exit: the Kubernetes client, metrics, leader election, the controllers and the
 * HTTP endpoints. {@link Main} parses the command line and hands over here.
 *
 * <p>Exit statuses: 0 after SIGTERM/SIGINT and an orderly stop; 1 when the start fails (API server unreachable, CRDs
 * missing, a port taken...). A leader that loses its Lease halts with 1 (see {@link Leadership}); JOSDK exits with 1 when
 * an informer fails for good after the start.
 */
public final class OperatorRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
    /** The API server's audit log and {@code kubectl get --show-managed-fields} show who wrote what. */
    static final String USER_AGENT_PROPERTY = "kubernetes.user.agent";

    /**
     * @param settings       controllers, namespaces and checks
     * @param leaderElection empty: leader election off
     * @param metricsPort    0: no {@code /metrics}
     * @param healthPort     0: no {@code /healthz} and {@code /readyz}; may equal {@code metricsPort}
     */
    public record Options(OperatorSettings settings, Optional<LeaderElectionSettings> leaderElection, int metricsPort, int healthPort) {
        String describe() {
            OperatorSettings s = settings;
            String controllers = s.provisioner() && s.opsManager() ? "provisioner, ops-manager" : s.provisioner() ? "provisioner" : "ops-manager";
            return "controllers: " + controllers
                    + "; namespaces: " + (s.namespaces().isEmpty() ? "all" : String.join(",", s.namespaces()))
                    + "; ProxySQL checks: " + (s.proxysqlChecks() ? "on" : "off")
                    + "; leader election: " + leaderElection.map(l -> "Lease " + l.namespace() + "/" + l.leaseName() + " as " + l.identity()
                            + " (lease duration " + LeaderElectionSettings.text(l.leaseDuration()) + ", renew deadline "
                            + LeaderElectionSettings.text(l.renewDeadline()) + ", retry period " + LeaderElectionSettings.text(l.retryPeriod())
                            + ")").orElse("off")
                    + "; webhook port: " + (s.opsManager() && s.webhook().enabled() ? s.webhook().port() : "off")
                    + "; metrics port: " + (metricsPort == 0 ? "off" : metricsPort)
                    + "; health port: " + (healthPort == 0 ? "off" : healthPort);
        }
    }

    /**
     * JOSDK's reconciliation timers publish a percentile histogram of about 70 buckets per controller; a dozen fixed
     * buckets from 5 ms to 30 s say as much about reconciliations.
     */
    static final MeterFilter FEW_BUCKETS = new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("operator.sdk.")) {
                return config;
            }
            return DistributionStatisticConfig.builder().percentilesHistogram(false).percentiles()
                    .serviceLevelObjectives(Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000)
                            .mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray())
                    .build().merge(config);
        }
    };

    private final Options options;
    private KubernetesClient client;
    private ProxySQLOperator operator;
    private Leadership leadership;
    private HttpEndpoints http;

    public OperatorRuntime(Options options) {
        this.options = options;
    }

    /** Runs until {@code terminate} is released (by a signal); returns the exit status. */
    public int run(CountDownLatch terminate) throws InterruptedException {
        long started = System.nanoTime();
        LOG.info("proxysql-operator {} starting; {}", OperatorVersion.version(), options.describe());
        try {
            start();
        } catch (RuntimeException e) {
            LOG.error("Could not start: {}", causes(e));
            stop();
            return 1;
        }
        LOG.info("Started in {} ms; {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), leadership.describe());
        terminate.await();
        long stopping = System.nanoTime();
        stop();
        LOG.info("Shut down cleanly in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
        return 0;
    }

    private void start() {
        client = new KubernetesClientBuilder().withConfig(clientConfig())
                .withKubernetesSerialization(OperatorSerialization.create()).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(FEW_BUCKETS);
        bindProcessMetrics(registry);
        leadership = options.leaderElection()
                .map(s -> Leadership.elect(s, registry, () -> Runtime.getRuntime().halt(1)))
                .orElseGet(() -> Leadership.disabled(registry));
        operator = new ProxySQLOperator(client, options.settings(), registry, leadership.configuration());
        // Before the (blocking) start, so that /healthz answers and /readyz says "starting" meanwhile.
        http = HttpEndpoints.start(options.metricsPort(), options.healthPort(), registry::scrape, this::readiness);
        operator.start();
    }

    private HttpEndpoints.Check readiness() {
        ProxySQLOperator.Readiness r = operator.readiness();
        return new HttpEndpoints.Check(r.ready(), r.detail() + "; " + leadership.describe());
    }

    /** The kubeconfig or in-cluster configuration, with our user agent unless one is set explicitly. */
    static Config clientConfig() {
        Config config = Config.autoConfigure(null);
        boolean explicit = System.getProperty(USER_AGENT_PROPERTY) != null || System.getenv("KUBERNETES_USER_AGENT") != null;
        if (!explicit) {
            config.setUserAgent("proxysql-operator/" + OperatorVersion.version());
        }
        return config;
    }

    private static void bindProcessMetrics(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("proxysql.operator.build.info", () -> 1).tag("version", OperatorVersion.version())
                .description("Always 1; the version label says which operator build runs").register(registry);
    }

    /** Stops in order; each part is optional, as the start may have failed anywhere. */
    private void stop() {
        if (leadership != null) {
            leadership.stopping();
        }
        if (operator != null) {
            try {
                operator.close();
            } catch (RuntimeException e) {
                LOG.warn("Stopping the controllers failed: {}", causes(e));
            }
        }
        if (leadership != null && client != null) {
            leadership.release(client);
        }
        if (http != null) {
            http.close();
        }
        if (client != null) {
            client.close();
        }
    }

    /** The messages of an exception and its causes, for a one-line log. */
    static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (b.indexOf(m) >= 0) {
                continue;
            }
            if (b.length() > 0) {
                b.append(": ");
            }
            b.append(m);
            if (b.length() > 2000) {
                break;
            }
        }
        return b.toString();
    }
}
