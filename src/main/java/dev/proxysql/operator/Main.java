package dev.proxysql.operator;

import dev.proxysql.operator.kube.OperatorSerialization;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Set<String> watched = new LinkedHashSet<>(namespaces);
        KubernetesClient client = new KubernetesClientBuilder().withKubernetesSerialization(OperatorSerialization.create()).build();
        ProxySQLOperator operator = new ProxySQLOperator(client,
                new OperatorSettings(controllers.contains(Controller.provisioner), controllers.contains(Controller.ops_manager), watched,
                        proxysqlChecks), new SimpleMeterRegistry());
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
}
