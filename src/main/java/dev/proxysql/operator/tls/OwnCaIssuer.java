package dev.proxysql.operator.tls;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The operator's own CA for a ProxySQL with {@code spec.tls} and no issuer: a Secret {@code <name>-operator-ca}
 * created once, and server and client certificates it signs, issued again when missing, signed by another CA, issued
 * for other host names, or within {@link #RENEW_BEFORE} of expiry. Used by the provisioner (every reconcile) and by a
 * ReconfigureTLS, which issues them before the pods mount them (the provisioner is paused then) and issues a new
 * server certificate to rotate it.
 */
public final class OwnCaIssuer {
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration VALIDITY = Duration.ofDays(365);
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private final KubernetesClient client;
    private final String fieldManager;
    private final Clock clock;

    public OwnCaIssuer(KubernetesClient client, String fieldManager, Clock clock) {
        this.client = client;
        this.fieldManager = fieldManager;
        this.clock = clock;
    }

    /** Makes the CA, server and client Secrets current; returns how many Secrets it wrote. */
    public int ensure(ProxySQL p) {
        int written = 0;
        CertificateAuthority ca = operatorCa(p);
        if (ca == null) {
            written++;
            ca = operatorCa(p);
        }
        for (String alias : List.of(TlsLayout.SERVER, TlsLayout.CLIENT)) {
            if (!current(secret(p, TlsLayout.certSecret(p, alias)), ca, hostsHash(p, alias))) {
                issue(p, alias, ca);
                written++;
            }
        }
        return written;
    }

    /** Issues a new certificate for {@code alias} from the CA, whatever the current one is (a rotation). */
    public void reissue(ProxySQL p, String alias) {
        CertificateAuthority ca = operatorCa(p);
        if (ca == null) {
            ca = operatorCa(p);
        }
        issue(p, alias, ca);
    }

    private void issue(ProxySQL p, String alias, CertificateAuthority ca) {
        KeyPurposeId usage = TlsLayout.SERVER.equals(alias) ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
        Secret s = TlsSecretFactory.issued(p, TlsLayout.certSecret(p, alias), ca, ca.issue(hosts(p, alias), VALIDITY, usage), hostsHash(p, alias));
        client.resource(s).fieldManager(fieldManager).forceConflicts().serverSideApply();
    }

    private static List<String> hosts(ProxySQL p, String alias) {
        return TlsLayout.SERVER.equals(alias) ? TlsLayout.serverHosts(p) : List.of(p.getMetadata().getName());
    }

    private static String hostsHash(ProxySQL p, String alias) {
        return hash(String.join(",", hosts(p, alias)));
    }

    /** The CA of this ProxySQL, or null when this call just created it (read it again: a lost race reads the winner's). */
    private CertificateAuthority operatorCa(ProxySQL p) {
        String name = TlsLayout.operatorCaSecret(p);
        Secret existing = secret(p, name);
        if (existing == null) {
            CertificateAuthority created = CertificateAuthority.create(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
                    + " proxysql-operator CA", CA_VALIDITY);
            try {
                client.resource(TlsSecretFactory.ca(p, name, created)).create();
                return null;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = secret(p, name);
            }
        }
        return CertificateAuthority.fromPem(text(existing, "tls.crt"), text(existing, "tls.key"));
    }

    /** Whether an issued Secret can stay: signed by {@code ca}, for these hosts, and not about to expire. */
    private boolean current(Secret s, CertificateAuthority ca, String hostsHash) {
        if (s == null || !hasKeys(s) || s.getMetadata().getAnnotations() == null
                || !hostsHash.equals(s.getMetadata().getAnnotations().get(TlsSecretFactory.HOSTS_ANNOTATION))) {
            return false;
        }
        try {
            List<X509Certificate> certs = CertificateAuthority.readCertificates(new StringReader(text(s, "tls.crt")));
            return !certs.isEmpty() && ca.signed(certs.get(0))
                    && certs.get(0).getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
        } catch (Exception e) {
            return false;   // unreadable: issue a new one
        }
    }

    private Secret secret(ProxySQL p, String name) {
        return client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(name).get();
    }

    /** Whether the Secret has the three keys cert-manager writes. */
    public static boolean hasKeys(Secret s) {
        return s.getData() != null && s.getData().keySet().containsAll(List.of("tls.crt", "tls.key", "ca.crt"));
    }

    private static String text(Secret s, String key) {
        String b64 = s.getData() == null ? null : s.getData().get(key);
        return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
