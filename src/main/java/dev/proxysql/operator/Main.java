package dev.proxysql.operator;

import ch.qos.logback.classic.Level;
import dev.proxysql.operator.admission.WebhookClientAuth;
import dev.proxysql.operator.admission.WebhookSettings;
import dev.proxysql.operator.kube.GoDuration;
import dev.proxysql.operator.runtime.DnsCache;
import dev.proxysql.operator.runtime.LeaderElectionSettings;
import dev.proxysql.operator.runtime.OperatorRuntime;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.OperatorVersion;
import dev.proxysql.operator.runtime.Signals;
import dev.proxysql.operator.runtime.logging.Logging;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The operator's command line; {@link OperatorRuntime} does the work. See docs/operations.md. */
@Command(name = "proxysql-operator", mixinStandardHelpOptions = true, versionProvider = OperatorVersion.Provider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs the ProxySQL provisioner and/or ops manager against the cluster of the current kubeconfig "
                + "(or the in-cluster service account).",
        footer = {"", "Exit status: 0 after SIGTERM/SIGINT and a clean stop; 1 when the start fails or a leader loses its Lease; "
                + "2 for a bad command line."})
public final class Main implements Callable<Integer> {
    /** The controllers one process can run. */
    enum Controller { provisioner, ops_manager }

    /** Log levels, as picocli shows them. */
    enum LogLevel { trace, debug, info, warn, error }

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Spec
    CommandSpec spec;

    @Option(names = "--controllers", split = ",", defaultValue = "provisioner,ops-manager", converter = ControllerConverter.class,
            paramLabel = "<controller>",
            description = "Controllers to run, comma-separated: provisioner, ops-manager (or ops_manager) (default: ${DEFAULT-VALUE}).")
    List<Controller> controllers;

    @Option(names = "--namespaces", split = ",", defaultValue = "all", paramLabel = "<namespace>",
            description = "Namespaces to watch: all, or a comma-separated list (default: ${DEFAULT-VALUE}).")
    List<String> namespaces;

    @Option(names = "--proxysql-checks", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Check every replaced pod through ProxySQL's admin interface (default: ${DEFAULT-VALUE}). "
                    + "Switch off (--no-proxysql-checks) only where pods run no process, such as the local kwok cluster; "
                    + "ops requests then say in their status that the check was skipped.")
    boolean proxysqlChecks;

    @Option(names = "--log-level", defaultValue = "info", paramLabel = "<level>",
            description = "Log level of the operator: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
                    + "JOSDK and fabric8 log at warn unless this is debug or trace.")
    LogLevel logLevel;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "<format>",
            description = "Log format on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json is one object per line.")
    Logging.Format logFormat;

    @Option(names = "--metrics-port", defaultValue = "8080", paramLabel = "<port>",
            description = "Port of the Prometheus endpoint /metrics; 0 switches it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--health-port", defaultValue = "8081", paramLabel = "<port>",
            description = "Port of /healthz and /readyz; 0 switches them off; may equal --metrics-port (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Act only while holding a coordination.k8s.io Lease, so that several replicas can run (default: ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(names = "--leader-election-namespace", paramLabel = "<namespace>",
            description = "Namespace of the Lease (default: the pod's namespace, read from the service-account token directory; "
                    + "outside a pod: " + LeaderElectionSettings.DEFAULT_NAMESPACE + ").")
    String leaderElectionNamespace;

    @Option(names = "--leader-election-lease-name", defaultValue = LeaderElectionSettings.DEFAULT_LEASE_NAME, paramLabel = "<name>",
            description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--leader-election-identity", paramLabel = "<identity>",
            description = "This replica's holder identity (default: <POD_NAME or host name>_<random>).")
    String identity;

    @Option(names = "--leader-election-lease-duration", defaultValue = "15s", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How long a Lease that is not renewed keeps the other replicas out (default: ${DEFAULT-VALUE}).")
    Duration leaseDuration;

    @Option(names = "--leader-election-renew-deadline", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How long the leader keeps trying to renew before it gives up and exits (default: ${DEFAULT-VALUE}).")
    Duration renewDeadline;

    @Option(names = "--leader-election-retry-period", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "<duration>",
            description = "How often the leader renews and the others try to acquire (default: ${DEFAULT-VALUE}).")
    Duration retryPeriod;

    @Option(names = "--webhook-port", defaultValue = "" + WebhookSettings.DEFAULT_PORT,
            description = "HTTPS port of the admission webhook served with the ops manager; 0 disables it (default: ${DEFAULT-VALUE}).")
    int webhookPort;

    @Option(names = "--webhook-cert-dir",
            description = "Directory with tls.crt and tls.key for the webhook (e.g. a mounted Secret). Without it, or if it holds "
                    + "neither file, a self-signed CA and serving certificate are generated at start-up and the CA is patched "
                    + "into the caBundle of the Validating- and MutatingWebhookConfiguration.")
    Path webhookCertDir;

    @Option(names = "--webhook-service-namespace", defaultValue = WebhookSettings.DEFAULT_NAMESPACE,
            description = "Namespace of the Service " + WebhookSettings.DEFAULT_SERVICE + ", whose DNS names a generated "
                    + "certificate covers (default: ${DEFAULT-VALUE}).")
    String webhookServiceNamespace;

    @Option(names = "--webhook-host", split = ",",
            description = "Extra names or IP addresses for a generated certificate, comma-separated or repeated (e.g. 127.0.0.1).")
    List<String> webhookHosts = List.of();

    @Option(names = "--webhook-configuration-name", defaultValue = WebhookSettings.DEFAULT_CONFIGURATION,
            description = "Validating- and MutatingWebhookConfiguration (one name) that get a generated CA as caBundle (default: ${DEFAULT-VALUE}).")
    String webhookConfigurationName;

    @Option(names = "--webhook-client-ca",
            description = "PEM file with the CA that signs the API server's client certificate for webhooks. With it, the webhook "
                    + "answers only callers presenting such a certificate with one of the --webhook-client-name names; without it, "
                    + "anyone reaching the port is answered, except what depends on a Secret's content (docs/admission.md).")
    Path webhookClientCa;

    @Option(names = "--webhook-client-name", split = ",", defaultValue = WebhookClientAuth.DEFAULT_NAME,
            description = "Subject common name or DNS name the client certificate must carry, comma-separated or repeated "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> webhookClientNames = List.of(WebhookClientAuth.DEFAULT_NAME);

    public static void main(String[] args) {
        DnsCache.trustLookupsBriefly();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, args) -> {
                    // The message and a hint, not the whole usage: the error must stay visible in a pod's log.
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println("proxysql-operator: " + e.getMessage());
                    cmd.getErr().println("Try 'proxysql-operator --help' for the options.");
                    cmd.getErr().flush();
                    return cmd.getCommandSpec().exitCodeOnInvalidInput();
                });
    }

    @Override
    public Integer call() throws InterruptedException {
        OperatorRuntime.Options options = options();
        Logging.configure(Level.toLevel(logLevel.name()), logFormat);
        CountDownLatch terminate = new CountDownLatch(1);
        Signals.onTermination(signal -> {
            if (terminate.getCount() > 0) {
                org.slf4j.LoggerFactory.getLogger(Main.class).info("Received SIG{}: shutting down", signal);
                terminate.countDown();
            }
        });
        return new OperatorRuntime(options).run(terminate);
    }

    /** Checks what picocli cannot; a problem is a usage error (exit status 2). */
    OperatorRuntime.Options options() {
        if (controllers.isEmpty()) {
            throw usage("--controllers: name at least one of provisioner, ops-manager");
        }
        Set<String> watched = new LinkedHashSet<>();
        for (String ns : namespaces) {
            String n = ns.trim();
            if (n.equalsIgnoreCase("all")) {
                if (namespaces.size() > 1) {
                    throw usage("--namespaces: 'all' cannot be combined with namespace names");
                }
                continue;
            }
            if (!DNS_LABEL.matcher(n).matches()) {
                throw usage("--namespaces: '" + ns + "' is not a valid namespace name (lower-case letters, digits and '-', at most 63)");
            }
            watched.add(n);
        }
        port("--metrics-port", metricsPort);
        port("--health-port", healthPort);
        Optional<LeaderElectionSettings> election = Optional.empty();
        if (leaderElection) {
            String ns = leaderElectionNamespace == null ? LeaderElectionSettings.defaultNamespace() : leaderElectionNamespace;
            if (!DNS_LABEL.matcher(ns).matches()) {
                throw usage("--leader-election-namespace: '" + ns + "' is not a valid namespace name");
            }
            if (leaseName.isBlank()) {
                throw usage("--leader-election-lease-name must not be empty");
            }
            try {
                election = Optional.of(new LeaderElectionSettings(ns, leaseName,
                        identity == null || identity.isBlank() ? LeaderElectionSettings.defaultIdentity() : identity,
                        leaseDuration, renewDeadline, retryPeriod));
            } catch (IllegalArgumentException e) {
                throw usage("leader election: " + e.getMessage());
            }
        }
        OperatorSettings settings = new OperatorSettings(controllers.contains(Controller.provisioner),
                controllers.contains(Controller.ops_manager), watched, proxysqlChecks, webhookSettings());
        return new OperatorRuntime.Options(settings, election, metricsPort, healthPort);
    }

    WebhookSettings webhookSettings() {
        if (webhookPort < 0 || webhookPort > 65535) {
            throw usage("--webhook-port must be 0 (disabled) or a port number");
        }
        if (webhookClientCa != null && !java.nio.file.Files.isReadable(webhookClientCa)) {
            throw usage("--webhook-client-ca: " + webhookClientCa + " is not a readable file");
        }
        return new WebhookSettings(webhookPort != 0, "0.0.0.0", webhookPort, webhookCertDir, WebhookSettings.DEFAULT_SERVICE,
                webhookServiceNamespace, webhookHosts, webhookConfigurationName, webhookClientCa, webhookClientNames);
    }

    private void port(String option, int port) {
        if (port < 0 || port > 65535) {
            throw usage(option + ": " + port + " is not a port (1-65535, or 0 for off)");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Accepts ops-manager as well as ops_manager, in any case. */
    static final class ControllerConverter implements CommandLine.ITypeConverter<Controller> {
        @Override
        public Controller convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Controller c : Controller.values()) {
                if (c.name().equals(v)) {
                    return c;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a controller (provisioner, ops-manager)");
        }
    }

    /** Go-style durations, as elsewhere in the API: 15s, 500ms, 1m30s. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 15s, 500ms, 1m30s)");
            }
            if (d.isZero() || d.isNegative()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be positive");
            }
            return d;
        }
    }
}
