package dev.proxysql.operator.admission;

import dev.proxysql.operator.tls.CertificateAuthority;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Who may call the webhook. With a client CA ({@code --webhook-client-ca}) the TLS handshake requires a client
 * certificate that CA signed (a caller without one gets no TLS connection at all), and its subject common name or one
 * of its DNS names must be one of {@link #names()} ({@code --webhook-client-name}); anything else gets HTTP 403 and its
 * review is not read. The API server presents such a certificate when its {@code --admission-control-config-file}
 * gives the webhook admission plugins a kubeconfig with it (docs/admission.md, "Who may call the webhook").
 *
 * <p>Without a client CA the webhook cannot tell the API server from anyone else who reaches its port, so it answers
 * nothing that depends on a Secret's content (see {@link AdmissionReviewHandler}).
 */
public final class WebhookClientAuth {
    /** The name the client certificate carries unless {@code --webhook-client-name} says otherwise. */
    public static final String DEFAULT_NAME = "proxysql-operator-webhook-client";
    private static final int DNS_NAME = 2;

    private final List<X509Certificate> cas;
    private final List<String> names;
    private final String source;

    private WebhookClientAuth(List<X509Certificate> cas, List<String> names, String source) {
        this.cas = List.copyOf(cas);
        this.names = List.copyOf(names);
        this.source = source;
    }

    /** No client authentication: anyone who reaches the port is answered. */
    public static WebhookClientAuth none() {
        return new WebhookClientAuth(List.of(), List.of(), "none");
    }

    /** The CA certificates (PEM, one or more) in {@code caFile}, and the names a client certificate may carry. */
    public static WebhookClientAuth load(Path caFile, List<String> names) {
        List<String> accepted = names.stream().map(String::strip).filter(n -> !n.isEmpty()).distinct().toList();
        if (accepted.isEmpty()) {
            throw new IllegalStateException("--webhook-client-name: at least one name is needed with --webhook-client-ca "
                    + "(any certificate the CA signed would otherwise be accepted)");
        }
        try (Reader reader = Files.newBufferedReader(caFile, StandardCharsets.US_ASCII)) {
            List<X509Certificate> cas = CertificateAuthority.readCertificates(reader);
            if (cas.isEmpty()) {
                throw new IllegalStateException("webhook client CA " + caFile + " contains no PEM certificate");
            }
            return new WebhookClientAuth(cas, accepted, caFile + " (names " + String.join(", ", accepted) + ")");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the webhook client CA " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Whether callers must present a client certificate. */
    public boolean required() {
        return !cas.isEmpty();
    }

    public List<String> names() {
        return names;
    }

    /** For the log. */
    public String source() {
        return source;
    }

    /** Trust managers that accept client certificates the CA signed; null (the JDK's, unused) without a CA. */
    TrustManager[] trustManagers() {
        if (!required()) {
            return null;
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("client-ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the webhook's client CA: " + e.getMessage(), e);
        }
    }

    /**
     * Why this TLS session's client may not call the webhook, or empty if it may (always, without a CA). The TLS layer
     * has already checked the chain; this checks the name.
     */
    Optional<String> refusal(SSLSession session) {
        if (!required()) {
            return Optional.empty();
        }
        Certificate[] peer;
        try {
            peer = session == null ? null : session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            peer = null;
        }
        if (peer == null || peer.length == 0 || !(peer[0] instanceof X509Certificate client)) {
            return Optional.of("forbidden: the webhook answers only the API server, which must present its client certificate");
        }
        List<String> carried = namesOf(client);
        if (carried.stream().noneMatch(names::contains)) {
            return Optional.of("forbidden: the client certificate's name is not one the webhook accepts (--webhook-client-name)");
        }
        return Optional.empty();
    }

    /** The subject's common names, then the DNS names of the subject alternative names. */
    static List<String> namesOf(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    out.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // no usable subject: only the alternative names count
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() == 2 && Integer.valueOf(DNS_NAME).equals(alternative.get(0))) {
                        out.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable alternative names
        }
        return out;
    }
}
