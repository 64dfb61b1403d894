package dev.proxysql.operator;

import dev.proxysql.operator.admission.WebhookSettings;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operator's command line. */
@Command(name = "proxysql-operator", mixinStandardHelpOptions = true, version = "proxysql-operator 0.1.0",
        description = "Runs the ProxySQL provisioner and/or ops manager against the cluster of the current kubeconfig "
                + "(or the in-cluster service account).")
public final class Main implements Callable<Integer> {
    /** The controllers one process can run. */
    enum Controller { provisioner, ops_manager }

    @Option(names = "--controllers", split = ",", defaultValue = "provisioner,ops_manager",
            description = "Controllers to run, comma-separated: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<Controller> controllers;

    @Option(names = "--namespaces", split = ",", description = "Namespaces to watch, comma-separated (default: all).")
    List<String> namespaces = List.of();

    @Option(names = "--proxysql-checks", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Check every replaced pod through ProxySQL's admin interface (default: ${DEFAULT-VALUE}). "
                    + "Switch off (--no-proxysql-checks) only where pods run no process, such as the local kwok cluster; "
                    + "ops requests then say in their status that the check was skipped.")
    boolean proxysqlChecks;

    @Option(names = "--webhook-port", defaultValue = "" + WebhookSettings.DEFAULT_PORT,
            description = "HTTPS port of the admission webhook served with the ops manager; 0 disables it (default: ${DEFAULT-VALUE}).")
    int webhookPort;

    @Option(names = "--webhook-cert-dir",
            description = "Directory with tls.crt and tls.key for the webhook (e.g. a mounted Secret). Without it, or if it holds "
                    + "neither file, a self-signed CA and serving certificate are generated at start-up and the CA is patched "
                    + "into the caBundle of the ValidatingWebhookConfiguration.")
    Path webhookCertDir;

    @Option(names = "--webhook-service-namespace", defaultValue = WebhookSettings.DEFAULT_NAMESPACE,
            description = "Namespace of the Service " + WebhookSettings.DEFAULT_SERVICE + ", whose DNS names a generated "
                    + "certificate covers (default: ${DEFAULT-VALUE}).")
    String webhookServiceNamespace;

    @Option(names = "--webhook-host", split = ",",
            description = "Extra names or IP addresses for a generated certificate, comma-separated or repeated (e.g. 127.0.0.1).")
    List<String> webhookHosts = List.of();

    @Option(names = "--webhook-configuration-name", defaultValue = WebhookSettings.DEFAULT_CONFIGURATION,
            description = "ValidatingWebhookConfiguration that gets a generated CA as caBundle (default: ${DEFAULT-VALUE}).")
    String webhookConfigurationName;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Set<String> watched = new LinkedHashSet<>(namespaces);
        WebhookSettings webhook = webhookSettings();
        KubernetesClient client = new KubernetesClientBuilder().build();
        ProxySQLOperator operator = new ProxySQLOperator(client,
                new OperatorSettings(controllers.contains(Controller.provisioner), controllers.contains(Controller.ops_manager), watched,
                        proxysqlChecks, webhook), new SimpleMeterRegistry());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        operator.start();
        stopped.await();
        return 0;
    }

    WebhookSettings webhookSettings() {
        if (webhookPort < 0 || webhookPort > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--webhook-port must be 0 (disabled) or a port number");
        }
        return new WebhookSettings(webhookPort != 0, "0.0.0.0", webhookPort, webhookCertDir, WebhookSettings.DEFAULT_SERVICE,
                webhookServiceNamespace, webhookHosts, webhookConfigurationName);
    }
}
