package dev.proxysql.operator.runtime;

import dev.proxysql.operator.admission.RequestValidator;
import dev.proxysql.operator.admission.WebhookServer;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.kube.PrunedCaches;
import dev.proxysql.operator.opsmanager.step.OpsMetrics;
import dev.proxysql.operator.opsmanager.OpsRequestReconciler;
import dev.proxysql.operator.opsmanager.OpsSettings;
import dev.proxysql.operator.opsmanager.OpsStateMachine;
import dev.proxysql.operator.opsmanager.OpsValidator;
import dev.proxysql.operator.opsmanager.OrphanedPauseReconciler;
import dev.proxysql.operator.opsmanager.step.StopPoints;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.opsmanager.checks.AdminInterfaceCheck;
import dev.proxysql.operator.opsmanager.checks.ProxySQLLevelCheck;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.opsmanager.reconfigure.ReconfigureOperation;
import dev.proxysql.operator.opsmanager.horizontalscaling.HorizontalScalingOperation;
import dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsOperation;
import dev.proxysql.operator.opsmanager.rotateauth.RotateAuthOperation;
import dev.proxysql.operator.opsmanager.restart.RestartOperation;
import dev.proxysql.operator.opsmanager.updateversion.UpdateVersionOperation;
import dev.proxysql.operator.opsmanager.verticalscaling.VerticalScalingOperation;
import dev.proxysql.operator.provisioner.ProvisionerMetrics;
import dev.proxysql.operator.provisioner.ProvisionerReconciler;
import dev.proxysql.operator.provisioner.ProxySQLHealthCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds a JOSDK {@link Operator} with the controllers the settings ask for, and with the ops manager the admission
 * webhook (unless disabled), which validates with the ops manager's own {@link OpsValidator}. Also used by the tests.
 */
public final class ProxySQLOperator implements AutoCloseable {
    /** On stop, reconciliations in flight get this long to finish (each pass is short: one side effect at most). */
    static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(10);

    private final Operator operator;
    private final WebhookServer webhook;
    private final ProvisionerMetrics provisionerMetrics;
    private final OpsMetrics opsMetrics;
    private volatile boolean started;
    private volatile boolean stopping;

    /** Without leader election: this process reconciles as soon as it starts. */
    public ProxySQLOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
        this(client, settings, registry, Optional.empty());
    }

    /**
     * @param leaderElection when present, informers start at once but events are processed only while holding the Lease
     */
    public ProxySQLOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
                            Optional<LeaderElectionConfiguration> leaderElection) {
        this(client, settings, registry, leaderElection, AdminEndpoints.podDns());
    }

    /** {@code adminEndpoints}: where the ProxySQL-level check reaches a pod (its stable DNS name outside tests). */
    public ProxySQLOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
                            Optional<LeaderElectionConfiguration> leaderElection, AdminEndpoints adminEndpoints) {
        this(client, settings, registry, leaderElection, adminEndpoints, StopPoints.NONE);
    }

    /** {@code stops}: where a crash test stops the ops manager ({@link StopPoints#NONE} outside tests). */
    public ProxySQLOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
                            Optional<LeaderElectionConfiguration> leaderElection, AdminEndpoints adminEndpoints, StopPoints stops) {
        // Reconciliation metrics without per-resource tags: their cardinality follows the controllers, not the cluster.
        MicrometerMetrics josdkMetrics = MicrometerMetrics.newMicrometerMetricsBuilder(registry).notCollectingMetricsPerResource().build();
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false).withMetrics(josdkMetrics)
                    .withReconciliationTerminationTimeout(TERMINATION_TIMEOUT);
            leaderElection.ifPresent(o::withLeaderElectionConfiguration);
        });
        this.provisionerMetrics = new ProvisionerMetrics(registry);
        this.opsMetrics = new OpsMetrics(registry);
        Clock clock = Clock.systemUTC();
        if (settings.provisioner()) {
            // Users go into ProxySQL only where its admin interface can be reached, as for the ops manager's checks.
            operator.register(new ProvisionerReconciler(client, ProxySQLHealthCheck.podReadiness(), clock, provisionerMetrics,
                            settings.proxysqlChecks() ? Optional.of(adminEndpoints::of) : Optional.empty()),
                    c -> watch(c, settings));
        }
        if (settings.opsManager()) {
            ProxySQLLevelCheck check = settings.proxysqlChecks() ? new AdminInterfaceCheck(client, adminEndpoints) : ProxySQLLevelCheck.skipped();
            // One line per ops type: its operation and its own steps (each type's package).
            List<OpsType> types = List.of(
                    UpdateVersionOperation.type(client),
                    RestartOperation.type(),
                    VerticalScalingOperation.type(client),
                    ReconfigureOperation.type(client, adminEndpoints),
                    HorizontalScalingOperation.type(client, check),
                    ReconfigureTlsOperation.type(client, adminEndpoints),
                    RotateAuthOperation.type(client, adminEndpoints, clock));
            OpsStateMachine machine = new OpsStateMachine(client, types, check, OpsSettings.defaults(),
                    clock, OpsRequestReconciler.NAME, opsMetrics, stops);
            operator.register(new OpsRequestReconciler(machine), c -> watch(c, settings));
            operator.register(new OrphanedPauseReconciler(client, clock), c -> {
                watch(c, settings);
                c.withItemStore(PrunedCaches.proxysqlConditions());
            });
            webhook = settings.webhook().enabled()
                    ? new WebhookServer(client, settings.webhook(), RequestValidator.of(new OpsValidator(client, OpsValidator.operations(types))))
                    : null;
        } else {
            webhook = null;
        }
    }

    private static void watch(ControllerConfigurationOverrider<?> c, OperatorSettings settings) {
        if (!settings.namespaces().isEmpty()) {
            c.settingNamespaces(settings.namespaces());
        }
    }

    public ProvisionerMetrics provisionerMetrics() {
        return provisionerMetrics;
    }

    public OpsMetrics opsMetrics() {
        return opsMetrics;
    }

    /** The admission webhook, if this process serves it. */
    public Optional<WebhookServer> webhook() {
        return Optional.ofNullable(webhook);
    }

    /**
     * Starts the webhook (so it answers before any request is reconciled; a standby serves it too), then the informers,
     * and waits until their caches are synced (JOSDK fails the start if one cannot).
     */
    public void start() {
        if (webhook != null) {
            try {
                webhook.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the admission webhook: " + e.getMessage(), e);
            }
        }
        operator.start();
        started = true;
    }

    /**
     * Ready once started with every informer watching and synced, whether this process leads or stands by: a standby
     * must be Ready too, or a rolling update of the operator's Deployment would never finish.
     */
    public Readiness readiness() {
        if (stopping) {
            return new Readiness(false, "shutting down");
        }
        if (!started) {
            return new Readiness(false, "starting: informers are not synced yet");
        }
        var runtime = operator.getRuntimeInfo();
        if (!runtime.allEventSourcesAreHealthy()) {
            String unhealthy = runtime.unhealthyEventSources().entrySet().stream()
                    .map(e -> e.getKey() + ": " + String.join(", ", e.getValue().keySet()))
                    .collect(Collectors.joining("; "));
            return new Readiness(false, "unhealthy event sources: " + unhealthy);
        }
        return new Readiness(true, "informers synced");
    }

    /** What {@code /readyz} answers: ready or not, and why. */
    public record Readiness(boolean ready, String detail) {
    }

    @Override
    public void close() {
        stopping = true;
        try {
            operator.stop();
        } finally {
            if (webhook != null) {
                webhook.close();
            }
        }
    }
}
