package dev.proxysql.operator.tls;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.topology.SecretMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secrets of the operator's own CA and of the certificates it issues from it when no cert-manager issuer is
 * named: {@code kubernetes.io/tls} with {@code tls.crt}, {@code tls.key} and {@code ca.crt}, the keys cert-manager
 * writes, so the pod mounts either the same way.
 */
public final class TlsSecretFactory {
    /** On an issued Secret: the hash of the host names it was issued for; other names mean a new certificate. */
    public static final String HOSTS_ANNOTATION = "proxysql.dev/tls-hosts";

    private TlsSecretFactory() {
    }

    public static Secret ca(ProxySQL p, String name, CertificateAuthority ca) {
        String cert = CertificateAuthority.pem(ca.certificate());
        return tls(p, name, cert, CertificateAuthority.pem(ca.key()), cert, null);
    }

    public static Secret issued(ProxySQL p, String name, CertificateAuthority ca, CertificateAuthority.Issued issued, String hostsHash) {
        return tls(p, name, issued.certificatePem(), issued.keyPem(), CertificateAuthority.pem(ca.certificate()), hostsHash);
    }

    private static Secret tls(ProxySQL p, String name, String cert, String key, String caCert, String hostsHash) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("tls.crt", b64(cert));
        data.put("tls.key", b64(key));
        data.put("ca.crt", b64(caCert));
        Secret s = new SecretBuilder().withMetadata(SecretMetadata.of(p, name)).withType("kubernetes.io/tls").withData(data).build();
        if (hostsHash != null) {
            s.getMetadata().setAnnotations(Map.of(HOSTS_ANNOTATION, hostsHash));
        }
        return s;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
