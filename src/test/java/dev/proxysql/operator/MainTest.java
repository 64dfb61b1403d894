package dev.proxysql.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.admission.WebhookSettings;
import dev.proxysql.operator.runtime.LeaderElectionSettings;
import dev.proxysql.operator.runtime.OperatorRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command line: defaults, every option, and bad input rejected with a clear message and status 2. */
class MainTest {
    /** Every option the operator takes; --help must list each. */
    static final List<String> OPTIONS = List.of("--controllers", "--namespaces", "--[no-]proxysql-checks", "--log-level", "--log-format",
            "--metrics-port", "--health-port", "--[no-]leader-election", "--leader-election-namespace", "--leader-election-lease-name",
            "--leader-election-identity", "--leader-election-lease-duration", "--leader-election-renew-deadline",
            "--leader-election-retry-period", "--webhook-port", "--webhook-cert-dir", "--webhook-service-namespace", "--webhook-host",
            "--webhook-configuration-name", "--webhook-client-ca", "--webhook-client-name", "--help", "--version");

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static OperatorRuntime.Options parse(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.parseArgs(args);
        return ((Main) cmd.getCommand()).options();
    }

    @Test
    void helpListsEveryOption() {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains(OPTIONS).contains("Exit status");
    }

    @Test
    void versionNamesTheOperatorAndItsLibraries() {
        Run r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("proxysql-operator ").contains("Java Operator SDK 5.2.3").contains("fabric8 kubernetes-client 7.5.2");
    }

    @Test
    void defaults() {
        OperatorRuntime.Options o = parse();
        assertThat(o.settings().provisioner()).isTrue();
        assertThat(o.settings().opsManager()).isTrue();
        assertThat(o.settings().namespaces()).isEmpty();
        assertThat(o.settings().proxysqlChecks()).isTrue();
        assertThat(o.metricsPort()).isEqualTo(8080);
        assertThat(o.healthPort()).isEqualTo(8081);
        LeaderElectionSettings le = o.leaderElection().orElseThrow();
        assertThat(le.namespace()).isEqualTo(LeaderElectionSettings.defaultNamespace());
        assertThat(le.leaseName()).isEqualTo("proxysql-operator");
        assertThat(le.identity()).matches(".+_[0-9a-f]{8}");
        assertThat(le.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(le.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(le.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void everyOptionIsTakenIntoAccount() {
        OperatorRuntime.Options o = parse("--controllers=ops-manager", "--namespaces=a,b-2", "--no-proxysql-checks", "--log-level=DEBUG",
                "--log-format=json", "--metrics-port=9090", "--health-port=9090", "--leader-election-namespace=ops",
                "--leader-election-lease-name=lease-1", "--leader-election-identity=me", "--leader-election-lease-duration=30s",
                "--leader-election-renew-deadline=20s", "--leader-election-retry-period=500ms");
        assertThat(o.settings().provisioner()).isFalse();
        assertThat(o.settings().opsManager()).isTrue();
        assertThat(o.settings().namespaces()).containsExactly("a", "b-2");
        assertThat(o.settings().proxysqlChecks()).isFalse();
        assertThat(o.metricsPort()).isEqualTo(9090);
        assertThat(o.healthPort()).isEqualTo(9090);
        assertThat(o.leaderElection()).contains(new LeaderElectionSettings("ops", "lease-1", "me", Duration.ofSeconds(30),
                Duration.ofSeconds(20), Duration.ofMillis(500)));
        assertThat(parse("--no-leader-election", "--metrics-port=0", "--health-port=0").leaderElection()).isEmpty();
        assertThat(parse("--controllers=provisioner").settings().opsManager()).isFalse();
        assertThat(parse("--controllers=ops_manager,provisioner").settings())
                .matches(s -> s.provisioner() && s.opsManager() && s.namespaces().equals(Set.of()));
        assertThat(parse("--namespaces=all").settings().namespaces()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus                                  | Unknown option: '--bogus'",
        "--controllers=foo                        | 'foo' is not a controller (provisioner, ops-manager)",
        "--controllers=                           | '' is not a controller",
        "--namespaces=all,demo                    | 'all' cannot be combined",
        "--namespaces=Demo_1                      | 'Demo_1' is not a valid namespace name",
        "--log-level=loud                         | expected one of [trace, debug, info, warn, error]",
        "--log-format=xml                         | expected one of [text, json]",
        "--metrics-port=70000                     | --metrics-port: 70000 is not a port",
        "--health-port=-1                         | --health-port: -1 is not a port",
        "--metrics-port=http                      | '--metrics-port'",
        "--leader-election-lease-duration=soon    | 'soon' is not a duration",
        "--leader-election-retry-period=0s        | '0s' must be positive",
        "--leader-election-renew-deadline=20s     | the lease duration (15s) must be longer than the renew deadline (20s)",
        "--leader-election-retry-period=9s        | the renew deadline (10s) must be longer than 1.2 × the retry period (9s)",
        "--leader-election-namespace=Bad.NS       | 'Bad.NS' is not a valid namespace name",
    })
    void badInputIsAUsageErrorWithAClearMessage(String arg, String message) {
        Run r = run(arg.trim());
        assertThat(r.status()).as("exit status for %s", arg).isEqualTo(2);
        assertThat(r.err()).startsWith("proxysql-operator: ").contains(message.trim()).contains("--help");
        assertThat(r.err().lines().count()).as("a short message, not the whole usage").isLessThanOrEqualTo(3);
        assertThat(r.out()).isEmpty();
    }
    private static Main parseMain(String... args) {
        Main main = new Main();
        new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return main;
    }

    @Test
    void theWebhookIsOnByDefaultOn8443WithAGeneratedCertificateForTheService() {
        WebhookSettings w = parseMain().webhookSettings();
        assertThat(w.enabled()).isTrue();
        assertThat(w.port()).isEqualTo(8443);
        assertThat(w.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(w.certDir()).isNull();
        assertThat(w.configurationName()).isEqualTo("proxysql-operator");
        assertThat(w.certificateHosts()).containsExactly("proxysql-operator-webhook.proxysql-operator-system.svc",
                "proxysql-operator-webhook.proxysql-operator-system.svc.cluster.local");
        assertThat(parse().settings().webhook()).isEqualTo(w);
    }

    @Test
    void everyWebhookFlag() {
        WebhookSettings w = parseMain("--webhook-port=9443", "--webhook-cert-dir=/etc/webhook/certs", "--webhook-service-namespace=ops",
                "--webhook-host=127.0.0.1,localhost", "--webhook-host=::1", "--webhook-configuration-name=mine").webhookSettings();
        assertThat(w.enabled()).isTrue();
        assertThat(w.port()).isEqualTo(9443);
        assertThat(w.certDir()).isEqualTo(Path.of("/etc/webhook/certs"));
        assertThat(w.configurationName()).isEqualTo("mine");
        assertThat(w.certificateHosts()).containsExactly("proxysql-operator-webhook.ops.svc", "proxysql-operator-webhook.ops.svc.cluster.local",
                "127.0.0.1", "localhost", "::1");
    }

    @Test
    void theWebhookClientFlags(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        WebhookSettings open = parseMain().webhookSettings();
        assertThat(open.clientCaFile()).isNull();
        assertThat(open.clientNames()).containsExactly("proxysql-operator-webhook-client");
        Path ca = java.nio.file.Files.writeString(dir.resolve("ca.crt"), "x");
        WebhookSettings w = parseMain("--webhook-client-ca=" + ca, "--webhook-client-name=front-proxy-client,apiserver",
                "--webhook-client-name=third").webhookSettings();
        assertThat(w.clientCaFile()).isEqualTo(ca);
        assertThat(w.clientNames()).containsExactly("front-proxy-client", "apiserver", "third");
        Run missing = run("--webhook-client-ca=" + dir.resolve("absent.crt"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("--webhook-client-ca: " + dir.resolve("absent.crt") + " is not a readable file");
    }

    @Test
    void portZeroDisablesTheWebhook() {
        assertThat(parseMain("--webhook-port=0").webhookSettings().enabled()).isFalse();
    }

    @Test
    void anImpossibleWebhookPortIsAUsageErrorBeforeAnythingStarts() {
        Run r = run("--webhook-port=70000");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--webhook-port must be 0 (disabled) or a port number");
    }
}
