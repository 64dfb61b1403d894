package dev.proxysql.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS side: TLS with the provided certificate, the path, and the time limit on slow clients. */
class WebhookServerTest {
    @TempDir
    static Path certDir;
    private static KubernetesClient client;
    private static WebhookServer server;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        // Applies if this JVM has not created a JDK HTTP server yet; the slow-client test passes with the default too.
        System.setProperty("sun.net.httpserver.maxReqTime", "2");
        WebhookCertificates certs = WebhookCertificates.generate(List.of("localhost", "127.0.0.1"));
        certs.writeTo(certDir);
        // Only the serialization is used: the provided-certificate mode never calls the API server.
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build();
        RequestValidator allowAll = new RequestValidator() {
            @Override
            public Validation validate(ProxySQLOpsRequest request) {
                return Validation.run();
            }

            @Override
            public boolean implemented(ProxySQLOpsRequest request) {
                return true;
            }
        };
        server = new WebhookServer(client, new WebhookSettings(true, "127.0.0.1", 0, certDir, WebhookSettings.DEFAULT_SERVICE,
                WebhookSettings.DEFAULT_NAMESPACE, List.of(), WebhookSettings.DEFAULT_CONFIGURATION), allowAll);
        server.start();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certs.generatedCa().orElseThrow());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
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
    void answersAReviewOverTlsAtItsPathOnly() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u1\","
                + "\"operation\":\"CREATE\",\"namespace\":\"demo\",\"kind\":{\"group\":\"ops.kubedb.com\",\"version\":\"v1alpha1\","
                + "\"kind\":\"ProxySQLOpsRequest\"},\"object\":{\"apiVersion\":\"ops.kubedb.com/v1alpha1\",\"kind\":\"ProxySQLOpsRequest\","
                + "\"metadata\":{\"name\":\"r\"},\"spec\":{\"type\":\"Restart\",\"proxyRef\":{\"name\":\"px\"},\"restart\":{}}}}}";
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url(WebhookServer.PATH)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"uid\":\"u1\"").contains("\"allowed\":true").doesNotContain("patch");
        HttpResponse<String> stamped = http.send(HttpRequest.newBuilder(url(WebhookServer.MUTATE_PATH)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stamped.statusCode()).isEqualTo(200);
        assertThat(stamped.body()).contains("\"uid\":\"u1\"").contains("\"allowed\":true").contains("\"patchType\":\"JSONPatch\"");

        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(url("/validate/other")).POST(HttpRequest.BodyPublishers.ofString(review))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(url(WebhookServer.PATH)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void aClientThatStopsSendingItsBodyIsDisconnected() throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout((WebhookServer.REQUEST_SECONDS + 5) * 1000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + WebhookServer.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"apiVersion\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (IOException closed) {
                first = -1;
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(first).as("the server closes the connection instead of answering").isEqualTo(-1);
            assertThat(waited).isLessThan(Duration.ofSeconds(WebhookServer.REQUEST_SECONDS + 3));
        }
    }

    private static URI url(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }
}
