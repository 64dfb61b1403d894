package dev.proxysql.operator.runtime;

import dev.proxysql.operator.admission.RequestValidator;
import dev.proxysql.operator.admission.WebhookServer;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.OpsMetrics;
import dev.proxysql.operator.opsmanager.OpsRequestReconciler;
import dev.proxysql.operator.opsmanager.OpsSettings;
import dev.proxysql.operator.opsmanager.OpsStateMachine;
import dev.proxysql.operator.opsmanager.OpsValidator;
import dev.proxysql.operator.opsmanager.checks.AdminInterfaceCheck;
import dev.proxysql.operator.opsmanager.checks.ProxySQLLevelCheck;
import dev.proxysql.operator.opsmanager.types.Operation;
import dev.proxysql.operator.opsmanager.types.RestartOperation;
import dev.proxysql.operator.opsmanager.types.UpdateVersionOperation;
import dev.proxysql.operator.provisioner.ProvisionerMetrics;
import dev.proxysql.operator.provisioner.ProvisionerReconciler;
import dev.proxysql.operator.provisioner.ProxySQLHealthCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a JOSDK {@link Operator} with the controllers the settings ask for, and with the ops manager the admission
 * webhook (unless disabled), which validates with the ops manager's own {@link OpsValidator}. Also used by the tests.
 */
public final class ProxySQLOperator implements AutoCloseable {
    private final Operator operator;
    private final WebhookServer webhook;
    private final ProvisionerMetrics provisionerMetrics;
    private final OpsMetrics opsMetrics;

    public ProxySQLOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
        this.operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        this.provisionerMetrics = new ProvisionerMetrics(registry);
        this.opsMetrics = new OpsMetrics(registry);
        Clock clock = Clock.systemUTC();
        if (settings.provisioner()) {
            operator.register(new ProvisionerReconciler(client, ProxySQLHealthCheck.podReadiness(), clock, provisionerMetrics),
                    c -> watch(c, settings));
        }
        if (settings.opsManager()) {
            Map<String, Operation> operations = Map.of(
                    OpsRequestType.UPDATE_VERSION.name(), new UpdateVersionOperation(client),
                    OpsRequestType.RESTART.name(), new RestartOperation());
            ProxySQLLevelCheck check = settings.proxysqlChecks() ? new AdminInterfaceCheck(client) : ProxySQLLevelCheck.skipped();
            OpsStateMachine machine = new OpsStateMachine(client, operations, check, OpsSettings.defaults(settings.proxysqlChecks()),
                    clock, OpsRequestReconciler.NAME, opsMetrics);
            operator.register(new OpsRequestReconciler(machine), c -> watch(c, settings));
            webhook = settings.webhook().enabled()
                    ? new WebhookServer(client, settings.webhook(), RequestValidator.of(new OpsValidator(client, operations)))
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

    /** Starts the webhook (so it answers before any request is reconciled), then the controllers. */
    public void start() {
        if (webhook != null) {
            try {
                webhook.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the admission webhook: " + e.getMessage(), e);
            }
        }
        operator.start();
    }

    @Override
    public void close() {
        try {
            operator.stop();
        } finally {
            if (webhook != null) {
                webhook.close();
            }
        }
    }
}
