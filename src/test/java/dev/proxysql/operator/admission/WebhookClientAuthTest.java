package dev.proxysql.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import dev.proxysql.operator.tls.CertificateAuthority;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a client CA the webhook answers only callers presenting a certificate that CA signed, with an accepted name:
 * no certificate or another CA's gets no TLS connection, another name gets 403 and its review is not read.
 */
class WebhookClientAuthTest {
    private static final Duration DAY = Duration.ofDays(1);
    @TempDir
    static Path dir;
    private static KubernetesClient client;
    private static WebhookServer server;
    private static WebhookCertificates serving;
    private static CertificateAuthority clientCa;
    private static int reviewsRead;

    @BeforeAll
    static void start() throws Exception {
        serving = WebhookCertificates.generate(List.of("127.0.0.1"));
        serving.writeTo(dir);
        clientCa = CertificateAuthority.create("webhook-client-ca", DAY);
        Path caFile = dir.resolve("client-ca.crt");
        Files.writeString(caFile, CertificateAuthority.pem(clientCa.certificate()));
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build();
        RequestValidator refuseAll = new RequestValidator() {
            @Override
            public Validation validate(ProxySQLOpsRequest request) {
                reviewsRead++;
                return Validation.reject("spec.authentication.secretRef.name: Secret \"root-secret\": username must be \"cluster\","
                        + " not \"root\"");
            }

            @Override
            public boolean implemented(ProxySQLOpsRequest request) {
                return true;
            }
        };
        server = new WebhookServer(client, new WebhookSettings(true, "127.0.0.1", 0, dir, WebhookSettings.DEFAULT_SERVICE,
                WebhookSettings.DEFAULT_NAMESPACE, List.of(), WebhookSettings.DEFAULT_CONFIGURATION)
                .withClientAuth(caFile, List.of(WebhookClientAuth.DEFAULT_NAME)), refuseAll);
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aCallerWithoutACertificateOrWithAnotherCasGetsNoConnection() {
        int before = reviewsRead;
        String review = WebhookCallers.rotateAuthReview("demo", "px", "root-secret");
        assertThatThrownBy(() -> WebhookCallers.post(WebhookCallers.caller(ca(), null, null), server.port(), WebhookServer.PATH, review))
                .isInstanceOf(IOException.class);
        CertificateAuthority other = CertificateAuthority.create("someone-elses-ca", DAY);
        CertificateAuthority.Issued sameName = other.issue(List.of(WebhookClientAuth.DEFAULT_NAME), DAY, KeyPurposeId.id_kp_clientAuth);
        assertThatThrownBy(() -> WebhookCallers.post(WebhookCallers.caller(ca(), sameName), server.port(), WebhookServer.MUTATE_PATH, review))
                .isInstanceOf(IOException.class);
        assertThat(reviewsRead).as("no review read").isEqualTo(before);
    }

    @Test
    void aCertificateOfTheCaWithAnotherNameIsForbiddenWithoutReadingTheReview() throws Exception {
        int before = reviewsRead;
        CertificateAuthority.Issued other = clientCa.issue(List.of("some-other-client"), DAY, KeyPurposeId.id_kp_clientAuth);
        HttpResponse<String> r = WebhookCallers.post(WebhookCallers.caller(ca(), other), server.port(), WebhookServer.PATH,
                WebhookCallers.rotateAuthReview("demo", "px", "root-secret"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("client certificate").doesNotContain("root").doesNotContain("forged");
        assertThat(reviewsRead).as("no review read").isEqualTo(before);
    }

    @Test
    void theApiServersCertificateIsAnsweredAndTheAnswerQuotesNothingFromTheSecret() throws Exception {
        CertificateAuthority.Issued apiServer = clientCa.issue(List.of(WebhookClientAuth.DEFAULT_NAME), DAY, KeyPurposeId.id_kp_clientAuth);
        HttpResponse<String> r = WebhookCallers.post(WebhookCallers.caller(ca(), apiServer), server.port(), WebhookServer.PATH,
                WebhookCallers.rotateAuthReview("demo", "px", "root-secret"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"allowed\":false").contains("username must be \\\"cluster\\\"").doesNotContain("root\\\"\"")
                .doesNotContain("not \\\"root");
    }

    @Test
    void namesAreTheSubjectsCommonNameAndDnsNames() {
        CertificateAuthority.Issued issued = clientCa.issue(List.of("first", "second"), DAY, KeyPurposeId.id_kp_clientAuth);
        assertThat(WebhookClientAuth.namesOf(issued.certificate())).containsExactly("first", "first", "second");
    }

    private static java.security.cert.X509Certificate ca() {
        return serving.generatedCa().orElseThrow();
    }
}
