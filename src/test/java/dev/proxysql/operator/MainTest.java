package dev.proxysql.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.admission.WebhookSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private static Main parse(String... args) {
        Main main = new Main();
        new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return main;
    }

    @Test
    void theWebhookIsOnByDefaultOn8443WithAGeneratedCertificateForTheService() {
        WebhookSettings w = parse().webhookSettings();
        assertThat(w.enabled()).isTrue();
        assertThat(w.port()).isEqualTo(8443);
        assertThat(w.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(w.certDir()).isNull();
        assertThat(w.configurationName()).isEqualTo("proxysql-operator");
        assertThat(w.certificateHosts()).containsExactly("proxysql-operator-webhook.proxysql-operator-system.svc",
                "proxysql-operator-webhook.proxysql-operator-system.svc.cluster.local");
    }

    @Test
    void everyWebhookFlag() {
        WebhookSettings w = parse("--webhook-port=9443", "--webhook-cert-dir=/etc/webhook/certs", "--webhook-service-namespace=ops",
                "--webhook-host=127.0.0.1,localhost", "--webhook-host=::1", "--webhook-configuration-name=mine").webhookSettings();
        assertThat(w.enabled()).isTrue();
        assertThat(w.port()).isEqualTo(9443);
        assertThat(w.certDir()).isEqualTo(Path.of("/etc/webhook/certs"));
        assertThat(w.configurationName()).isEqualTo("mine");
        assertThat(w.certificateHosts()).containsExactly("proxysql-operator-webhook.ops.svc", "proxysql-operator-webhook.ops.svc.cluster.local",
                "127.0.0.1", "localhost", "::1");
    }

    @Test
    void portZeroDisablesTheWebhook() {
        assertThat(parse("--webhook-port=0").webhookSettings().enabled()).isFalse();
    }

    @Test
    void anImpossiblePortIsAUsageErrorBeforeAnythingStarts() {
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = new CommandLine(new Main()).setErr(new java.io.PrintWriter(err)).execute("--webhook-port=70000");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--webhook-port must be 0 (disabled) or a port number");
    }
}
