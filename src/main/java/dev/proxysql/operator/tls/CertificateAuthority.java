package dev.proxysql.operator.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
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
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made of a CA certificate and its key, that issues leaf certificates (ECDSA P-256, SHA-256):
 * the webhook's generated serving certificate, and the ProxySQL certificates the operator issues when no cert-manager
 * issuer is named. Also the PEM reading and writing both need (PKCS#8, PKCS#1 RSA or SEC1 EC keys, as cert-manager
 * and openssl write them).
 */
public final class CertificateAuthority {
    /** Issued certificates start an hour early: clocks of other machines may be a little behind ours. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** A leaf certificate and its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem() {
            return pem(key);
        }
    }

    /** A new self-signed CA named {@code commonName}, valid for {@code validity}. */
    public static CertificateAuthority create(String commonName, Duration validity) {
        try {
            SecureRandom random = new SecureRandom();
            Instant now = Instant.now();
            KeyPair keys = ecKeyPair(random);
            X500Name name = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(name, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name, keys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(toX509(ca.build(signer(keys.getPrivate()))), keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create a CA: " + e.getMessage(), e);
        }
    }

    /** The CA whose certificate and key are these PEM texts (e.g. from the CA Secret the operator wrote). */
    public static CertificateAuthority fromPem(String certificatePem, String keyPem) {
        try {
            List<X509Certificate> certs = readCertificates(new StringReader(certificatePem));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no PEM certificate in the CA certificate");
            }
            return new CertificateAuthority(certs.get(0), readKey(new StringReader(keyPem), "the CA key"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey key() {
        return key;
    }

    /**
     * A certificate for {@code hosts} (DNS names, wildcards, or IP addresses; the first is also the common name), for
     * the given extended key usages ({@link KeyPurposeId#id_kp_serverAuth}, {@link KeyPurposeId#id_kp_clientAuth}).
     */
    public Issued issue(List<String> hosts, Duration validity, KeyPurposeId... usages) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one host name");
        }
        try {
            SecureRandom random = new SecureRandom();
            Instant now = Instant.now();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            KeyPair keys = ecKeyPair(random);
            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                names.add(isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
            }
            JcaX509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), new X500Name("CN=" + hosts.get(0)), keys.getPublic());
            leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            leaf.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages));
            leaf.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            leaf.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            leaf.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return new Issued(toX509(leaf.build(signer(key))), keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + hosts + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code leaf} was signed by this CA's key. */
    public boolean signed(X509Certificate leaf) {
        try {
            leaf.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static String pem(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificateOrKey instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : certificateOrKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Every PEM certificate in {@code reader}, in order. */
    public static List<X509Certificate> readCertificates(Reader reader) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser pem = new PEMParser(reader)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        }
        return certs;
    }

    /** The first unencrypted private key in {@code reader}; {@code what} names it in the error, never its content. */
    public static PrivateKey readKey(Reader reader, String what) throws IOException {
        try (PEMParser pem = new PEMParser(reader)) {
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
        throw new IOException(what + " contains no unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1)");
    }

    public static boolean isIpAddress(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    private static KeyPair ecKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    private static X509Certificate toX509(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
