package dev.proxysql.operator.opsmanager.reconfiguretls;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.proxysql.admin.AdminConnector;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.AdminTimeouts;
import dev.proxysql.operator.proxysql.admin.SecretRedactor;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.tls.MySqlTlsProbe;
import dev.proxysql.operator.tls.OwnCaIssuer;
import java.time.Clock;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a ReconfigureTLS rotation does outside the state machine: read the server certificate's serial, issue a new
 * one, and make one pod serve it. No pod is replaced: the server Secret is mounted as a volume (the datadir files are
 * links into it), the kubelet updates the volume, and {@code PROXYSQL RELOAD TLS} makes ProxySQL read the files
 * again. The operator cannot see the pod's files, so it reloads and then asks the pod's client port for its
 * certificate (a TLS handshake verified against the CA in the Secret) until the served serial is the new one: a
 * reload before the kubelet's update reloads the old files, which is harmless.
 */
public final class TlsRotation {
    private static final AdminTimeouts TIMEOUTS = new AdminTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    private final KubernetesClient client;
    private final AdminEndpoints endpoints;

    public TlsRotation(KubernetesClient client, AdminEndpoints endpoints) {
        this.client = client;
        this.endpoints = endpoints;
    }

    /** One pod's result: served (the new serial), not yet (try again until the timeout), or failed with why. */
    public record PodResult(boolean served, String message) {
    }

    /** The serial of the server certificate in its Secret (hexadecimal), or null when the Secret has none. */
    public String secretSerial(ProxySQL p) {
        Secret s = serverSecret(p);
        X509Certificate leaf = s == null ? null : certificate(s, "tls.crt");
        return leaf == null ? null : leaf.getSerialNumber().toString(16);
    }

    /**
     * Issues a new server certificate. With the operator's own CA: a new key and certificate for the same host names,
     * written over the Secret as the provisioner writes it (so it sees it as current after the resume). With a
     * cert-manager issuer: the Certificate's {@code Issuing} condition set to True, which is how {@code cmctl renew}
     * asks cert-manager to issue again.
     */
    public void reissue(ProxySQL p, Instant now) {
        if (p.getSpec().getTls().getIssuerRef() != null) {
            renewWithCertManager(p, now);
            return;
        }
        new OwnCaIssuer(client, ReconfigureTlsOperation.FIELD_MANAGER, Clock.systemUTC()).reissue(p, TlsLayout.SERVER);
    }

    @SuppressWarnings("unchecked")
    private void renewWithCertManager(ProxySQL p, Instant now) {
        client.genericKubernetesResources(ReconfigureTlsOperation.CERTIFICATES).inNamespace(p.getMetadata().getNamespace())
                .withName(TlsLayout.certificate(p, TlsLayout.SERVER)).editStatus(c -> {
                    Map<String, Object> status = c.getAdditionalProperties().get("status") instanceof Map<?, ?> m
                            ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
                    List<Object> conditions = status.get("conditions") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
                    if (issuing(conditions)) {
                        // Already asked and not finished: asking again (a second pass before cert-manager is done, as
                        // CertManagerIssuanceIT saw 80 ms apart) makes cert-manager issue twice.
                        return (GenericKubernetesResource) c;
                    }
                    conditions.removeIf(x -> x instanceof Map<?, ?> x2 && "Issuing".equals(x2.get("type")));
                    conditions.add(Map.of("type", "Issuing", "status", "True", "reason", "ManuallyTriggered",
                            "message", "Certificate re-issuance requested by a ReconfigureTLS rotateCertificates", "lastTransitionTime", now.toString()));
                    status.put("conditions", conditions);
                    c.getAdditionalProperties().put("status", status);
                    return (GenericKubernetesResource) c;
                });
    }

    /** Whether cert-manager is issuing already: an {@code Issuing} condition with status True. */
    static boolean issuing(List<?> conditions) {
        return conditions.stream().anyMatch(x -> x instanceof Map<?, ?> m && "Issuing".equals(m.get("type"))
                && "True".equals(m.get("status")));
    }

    /**
     * Tells the pod to reload its certificate files, then checks which certificate it serves: the new serial, or not
     * yet (the kubelet has not updated the volume; the next try reloads again).
     */
    public PodResult reloadAndCheck(ProxySQL p, String pod, String serial) {
        Secret auth = client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.authSecret(p)).get();
        Secret server = serverSecret(p);
        X509Certificate ca = server == null ? null : certificate(server, "ca.crt");
        if (auth == null || auth.getData() == null || auth.getData().get("password") == null || ca == null) {
            return new PodResult(false, "the auth Secret " + ProxySQLNames.authSecret(p) + " or the CA of Secret "
                    + TlsLayout.certSecret(p, TlsLayout.SERVER) + " cannot be read");
        }
        AdminCredentials login = new AdminCredentials(text(auth, "username", ProxySQLNames.CLUSTER_USER), text(auth, "password", ""));
        AdminEndpoint admin = endpoints.of(p, pod);
        try (Connection c = new AdminConnector().open(admin, login, TIMEOUTS); Statement sql = c.createStatement()) {
            sql.execute("PROXYSQL RELOAD TLS");
        } catch (Exception e) {
            return new PodResult(false, "PROXYSQL RELOAD TLS on " + admin + ": " + SecretRedactor.redact(String.valueOf(e.getMessage()), login.password()));
        }
        try {
            X509Certificate served = MySqlTlsProbe.handshake(admin.host(), ProxySQLNames.MYSQL_PORT, ca).get(0);
            String got = served.getSerialNumber().toString(16);
            return got.equals(serial)
                    ? new PodResult(true, "pod " + pod + " serves the new certificate (serial " + serial + ") after PROXYSQL RELOAD TLS, verified against the CA")
                    : new PodResult(false, "pod " + pod + " still serves serial " + got + ", not " + serial
                    + " (the kubelet has not updated the mounted Secret yet)");
        } catch (Exception e) {
            return new PodResult(false, "TLS handshake with pod " + pod + " at " + admin.host() + ":" + ProxySQLNames.MYSQL_PORT + ": " + e.getMessage());
        }
    }

    private Secret serverSecret(ProxySQL p) {
        return client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(TlsLayout.certSecret(p, TlsLayout.SERVER)).get();
    }

    private static X509Certificate certificate(Secret s, String key) {
        String pem = text(s, key, null);
        if (pem == null) {
            return null;
        }
        try {
            List<X509Certificate> certs = CertificateAuthority.readCertificates(new StringReader(pem));
            return certs.isEmpty() ? null : certs.get(0);
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(Secret s, String key) {
        return text(s, key, "");
    }

    private static String text(Secret s, String key, String fallback) {
        String b64 = s.getData() == null ? null : s.getData().get(key);
        return b64 == null ? fallback : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
