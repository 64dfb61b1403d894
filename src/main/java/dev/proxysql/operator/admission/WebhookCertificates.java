package dev.proxysql.operator.admission;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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
        try {
            SecureRandom random = new SecureRandom();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofHours(1)));   // tolerate clocks a little behind ours
            Date to = Date.from(now.plus(VALIDITY));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            KeyPair caKeys = ecKeyPair(random);
            X500Name caName = new X500Name("CN=proxysql-operator-webhook-ca");
            JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(random), from, to, caName, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = toX509(ca.build(signer(caKeys.getPrivate())));

            KeyPair serverKeys = ecKeyPair(random);
            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                names.add(isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
            }
            JcaX509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCert, serial(random), from, to,
                    new X500Name("CN=" + hosts.get(0)), serverKeys.getPublic());
            server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            server.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            server.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            server.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            server.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(serverKeys.getPublic()));
            server.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate serverCert = toX509(server.build(signer(caKeys.getPrivate())));
            return new WebhookCertificates(List.of(serverCert), serverKeys.getPrivate(), caCert,
                    "generated for " + String.join(", ", hosts));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the webhook certificate: " + e.getMessage(), e);
        }
    }

    /** A TLS context serving this certificate. */
    public SSLContext sslContext() {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("webhook", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
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
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static boolean isIpAddress(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        }
        return certs;
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {          // PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY"
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());   // the public part is optional in SEC1
                }
                if (o instanceof PrivateKeyInfo info) {     // PKCS#8 "PRIVATE KEY"
                    return converter.getPrivateKey(info);
                }
            }
        }
        // Never include the file's content: it is a secret.
        throw new IOException(file + " contains no unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1)");
    }

    private static KeyPair ecKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    private static X509Certificate toX509(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
