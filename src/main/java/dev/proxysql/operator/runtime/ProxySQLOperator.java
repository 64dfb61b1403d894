package dev.proxysql.operator.runtime;

import dev.proxysql.operator.provisioner.ProvisionerMetrics;
import dev.proxysql.operator.provisioner.ProvisionerReconciler;
import dev.proxysql.operator.provisioner.ProxySQLHealthCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** Builds a JOSDK {@link Operator} with the controllers the settings ask for. Also used by the tests. */
public final class ProxySQLOperator implements AutoCloseable {
    private final Operator operator;
    private final ProvisionerMetrics provisionerMetrics;

    public ProxySQLOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
        this.operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        this.provisionerMetrics = new ProvisionerMetrics(registry);
        if (settings.provisioner()) {
            ProxySQLHealthCheck health = ProxySQLHealthCheck.podReadiness();
            operator.register(new ProvisionerReconciler(client, health, Clock.systemUTC(), provisionerMetrics), c -> {
                if (!settings.namespaces().isEmpty()) {
                    c.settingNamespaces(settings.namespaces());
                }
            });
        }
    }

    public ProvisionerMetrics provisionerMetrics() {
        return provisionerMetrics;
    }

    public void start() {
        operator.start();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
