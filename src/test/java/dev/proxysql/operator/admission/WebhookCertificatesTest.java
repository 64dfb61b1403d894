package dev.proxysql.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookCertificatesTest {

    @Test
    void generatedCertificateCoversTheServiceNamesAndExtraHostsAndIsSignedByTheCa() throws Exception {
        WebhookSettings settings = new WebhookSettings(true, "0.0.0.0", 8443, null, WebhookSettings.DEFAULT_SERVICE, "ops-system",
                List.of("127.0.0.1", "webhook.example"), WebhookSettings.DEFAULT_CONFIGURATION);
        WebhookCertificates certs = WebhookCertificates.generate(settings.certificateHosts());
        X509Certificate server = certs.serving();
        X509Certificate ca = certs.generatedCa().orElseThrow();

        assertThat(server.getSubjectAlternativeNames()).extracting(san -> san.get(0) + "=" + san.get(1)).containsExactly(
                "2=proxysql-operator-webhook.ops-system.svc", "2=proxysql-operator-webhook.ops-system.svc.cluster.local",
                "7=127.0.0.1", "2=webhook.example");
        server.verify(ca.getPublicKey());
        server.checkValidity();
        assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        ca.verify(ca.getPublicKey());

        X509Certificate fromBundle = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certs.caBundlePem().orElseThrow().getBytes(StandardCharsets.US_ASCII)));
        assertThat(fromBundle).isEqualTo(ca);
        assertThat(certs.sslContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void providedCertificateAndKeyAreServedAndNoCaIsPublished(@TempDir Path dir) throws Exception {
        WebhookCertificates generated = WebhookCertificates.generate(List.of("localhost"));
        KeyPair rsa = rsa();
        // The key in the three PEM encodings installers produce; the certificate does not need to match for loading.
        for (String encoding : List.of("pkcs8", "pkcs1", "sec1")) {
            Files.writeString(dir.resolve("tls.crt"), WebhookCertificates.pem(generated.serving())
                    + WebhookCertificates.pem(generated.generatedCa().orElseThrow()));
            Files.writeString(dir.resolve("tls.key"), switch (encoding) {
                case "pkcs8" -> pem(new JcaPKCS8Generator(rsa.getPrivate(), null).generate());
                case "pkcs1" -> pem(rsa.getPrivate());
                default -> sec1(ec());
            });
            WebhookCertificates loaded = WebhookCertificates.load(dir).orElseThrow();
            assertThat(loaded.serving()).isEqualTo(generated.serving());
            assertThat(loaded.generatedCa()).as(encoding).isEmpty();
            assertThat(loaded.caBundlePem()).isEmpty();
            assertThat(loaded.source()).contains("tls.crt");
        }
    }

    @Test
    void aDirectoryWithoutTheFilesMeansGenerateAndOneFileAloneIsAnError(@TempDir Path dir) throws Exception {
        assertThat(WebhookCertificates.load(null)).isEmpty();
        assertThat(WebhookCertificates.load(dir)).isEmpty();
        assertThat(WebhookCertificates.load(dir.resolve("absent"))).isEmpty();
        Files.writeString(dir.resolve("tls.crt"), WebhookCertificates.pem(WebhookCertificates.generate(List.of("x")).serving()));
        assertThatThrownBy(() -> WebhookCertificates.load(dir)).hasMessageContaining("has tls.crt but no tls.key");
    }

    @Test
    void anUnreadableKeyIsReportedWithoutItsContent(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tls.crt"), WebhookCertificates.pem(WebhookCertificates.generate(List.of("x")).serving()));
        Files.writeString(dir.resolve("tls.key"), "not-a-key-but-a-secret-value\n");
        assertThatThrownBy(() -> WebhookCertificates.load(dir)).hasMessageContaining("contains no unencrypted PEM private key")
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void ipAddressesAreRecognised() {
        assertThat(WebhookCertificates.isIpAddress("127.0.0.1")).isTrue();
        assertThat(WebhookCertificates.isIpAddress("::1")).isTrue();
        assertThat(WebhookCertificates.isIpAddress("proxysql-operator-webhook.ns.svc")).isFalse();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** "EC PRIVATE KEY" with the curve named inside, as openssl and cert-manager write it. */
    private static String sec1(KeyPair ec) throws Exception {
        var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        var key = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS(),
                info.getPrivateKeyAlgorithm().getParameters());
        StringWriter out = new StringWriter();
        try (var w = new org.bouncycastle.util.io.pem.PemWriter(out)) {
            w.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", key.getEncoded()));
        }
        return out.toString();
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
