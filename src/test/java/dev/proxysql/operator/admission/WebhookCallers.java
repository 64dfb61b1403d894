package dev.proxysql.operator.admission;

import dev.proxysql.operator.tls.CertificateAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Calls a webhook server directly, as anyone who reaches its port could: with or without a client certificate. */
final class WebhookCallers {
    private WebhookCallers() {
    }

    /** A caller that trusts {@code serverCa} and presents {@code clientCertificate} (null: none). */
    static SSLContext caller(X509Certificate serverCa, X509Certificate clientCertificate, PrivateKey clientKey) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", serverCa);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (clientCertificate != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", clientKey, new char[0], new Certificate[] {clientCertificate});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext caller(X509Certificate serverCa, CertificateAuthority.Issued client) {
        return caller(serverCa, client.certificate(), client.key());
    }

    /** POSTs {@code review} to {@code path}; throws IOException when the TLS handshake or connection fails. */
    static HttpResponse<String> post(SSLContext caller, int port, String path, String review) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(caller).connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(review)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An AdmissionReview of a CREATE of a RotateAuth request naming the Secret {@code secret}. */
    static String rotateAuthReview(String namespace, String proxysql, String secret) {
        return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"forged\","
                + "\"operation\":\"CREATE\",\"namespace\":\"" + namespace + "\",\"kind\":{\"group\":\"ops.kubedb.com\",\"version\":\"v1alpha1\","
                + "\"kind\":\"ProxySQLOpsRequest\"},\"object\":{\"apiVersion\":\"ops.kubedb.com/v1alpha1\",\"kind\":\"ProxySQLOpsRequest\","
                + "\"metadata\":{\"name\":\"forged\",\"namespace\":\"" + namespace + "\"},\"spec\":{\"type\":\"RotateAuth\",\"proxyRef\":{\"name\":\""
                + proxysql + "\"},\"authentication\":{\"secretRef\":{\"name\":\"" + secret + "\"}}}}}}";
    }
}
