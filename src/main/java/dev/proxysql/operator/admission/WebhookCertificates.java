package dev.proxysql.operator.admission;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import dev.proxysql.operator.tls.CertificateAuthority;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * The webhook's serving certificate, in one of two modes:
 * <ul>
 *   <li><b>provided</b>: {@code tls.crt} (PEM, the serving certificate first, then any intermediates) and
 *       {@code tls.key} (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC, as cert-manager and openssl write them) from a
 *       directory, typically a mounted Secret; the caBundle is then the installer's business;</li>
 *   <li><b>generated</b>: a self-signed CA and a serving certificate it signs, made in memory at start-up (ECDSA
 *       P-256; nothing is written to disk); the CA certificate is what goes into the caBundle.</li>
 * </ul>
 */
public final class WebhookCertificates {
    /** Generated certificates outlive any plausible process; a restart makes new ones. */
    static final Duration VALIDITY = Duration.ofDays(3650);

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final X509Certificate generatedCa;
    private final String source;

    private WebhookCertificates(List<X509Certificate> chain, PrivateKey key, X509Certificate generatedCa, String source) {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.generatedCa = generatedCa;
        this.source = source;
    }

    /** The DNS names the Service {@code service} in {@code namespace} is called by. */
    public static List<String> serviceNames(String service, String namespace) {
        return List.of(service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local");
    }

    /**
     * Reads {@code dir}/tls.crt and {@code dir}/tls.key when both exist; empty when neither does (or {@code dir} is
     * null), so the caller generates. One without the other is a broken installation and an error.
     */
    public static Optional<WebhookCertificates> load(Path dir) {
        if (dir == null) {
            return Optional.empty();
        }
        Path crt = dir.resolve("tls.crt");
        Path keyFile = dir.resolve("tls.key");
        boolean hasCrt = Files.isRegularFile(crt);
        boolean hasKey = Files.isRegularFile(keyFile);
        if (!hasCrt && !hasKey) {
            return Optional.empty();
        }
        if (hasCrt != hasKey) {
            throw new IllegalStateException("webhook certificate directory " + dir + " has " + (hasCrt ? "tls.crt but no tls.key"
                    : "tls.key but no tls.crt") + "; provide both, or neither to have the operator generate a certificate");
        }
        try {
            List<X509Certificate> certs = readCertificates(crt);
            if (certs.isEmpty()) {
                throw new IllegalStateException(crt + " contains no PEM certificate");
            }
            return Optional.of(new WebhookCertificates(certs, readKey(keyFile), null, crt + " and " + keyFile));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the webhook certificate from " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new CA and a serving certificate for {@code hosts}: DNS names, or IP addresses (such as 127.0.0.1 for a
     * webhook the local API server calls by URL).
     */
    public static WebhookCertificates generate(List<String> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one host name");
        }
        CertificateAuthority ca = CertificateAuthority.create("proxysql-operator-webhook-ca", VALIDITY);
        CertificateAuthority.Issued server = ca.issue(hosts, VALIDITY, KeyPurposeId.id_kp_serverAuth);
        return new WebhookCertificates(List.of(server.certificate()), server.key(), ca.certificate(),
                "generated for " + String.join(", ", hosts));
    }

    /** A TLS context serving this certificate, with the JDK's trust managers (no client certificates asked for). */
    public SSLContext sslContext() {
        return sslContext(null);
    }

    /** A TLS context serving this certificate and verifying client certificates with {@code trustManagers}. */
    public SSLContext sslContext(javax.net.ssl.TrustManager[] trustManagers) {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("webhook", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trustManagers, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for the webhook: " + e.getMessage(), e);
        }
    }

    /** The serving certificate. */
    public X509Certificate serving() {
        return chain.get(0);
    }

    /** In generated mode, the CA that signed the serving certificate (the caBundle); empty with a provided certificate. */
    public Optional<X509Certificate> generatedCa() {
        return Optional.ofNullable(generatedCa);
    }

    /** In generated mode, the CA certificate as PEM, the content of a webhook's {@code clientConfig.caBundle} (before base64). */
    public Optional<String> caBundlePem() {
        return generatedCa().map(WebhookCertificates::pem);
    }

    /** Where the certificate came from, for the log. */
    public String source() {
        return source;
    }

    /** Writes tls.crt and tls.key (PKCS#8, owner-only permissions where supported) into {@code dir}; for tests. */
    void writeTo(Path dir) throws IOException {
        StringBuilder crt = new StringBuilder();
        chain.forEach(c -> crt.append(pem(c)));
        Files.writeString(dir.resolve("tls.crt"), crt);
        Path keyFile = dir.resolve("tls.key");
        Files.deleteIfExists(keyFile);
        Files.createFile(keyFile);
        try {
            Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(keyFile, StandardCharsets.US_ASCII))) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
        }
    }

    static String pem(X509Certificate cert) {
        return CertificateAuthority.pem(cert);
    }

    static boolean isIpAddress(String host) {
        return CertificateAuthority.isIpAddress(host);
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return CertificateAuthority.readCertificates(reader);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        // Never include the file's content: it is a secret.
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return CertificateAuthority.readKey(reader, file.toString());
        }
    }
}
