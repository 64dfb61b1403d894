package dev.proxysql.operator.admission;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.proxysql.operator.opsmanager.queue.QueueStamp;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhooks: HTTPS (TLS 1.2+) on {@link WebhookSettings#port()}, AdmissionReview v1, validating at
 * {@link #PATH} ({@link AdmissionReviewHandler}) and stamping the queue position at {@link #MUTATE_PATH}
 * ({@link QueueStampHandler}). On {@link #start()} it loads or generates its certificate (see
 * {@link WebhookCertificates}), starts listening, and in generated mode publishes the CA into the Validating- and
 * MutatingWebhookConfiguration (see {@link CaBundlePublisher}); a failure to publish is logged, not fatal: the
 * controller still validates, and the queue falls back to creationTimestamp.
 *
 * <p>Limits: a request body over {@link AdmissionReviewHandler#MAX_BODY_BYTES} is refused (413); a connection that
 * takes longer than {@link #REQUEST_SECONDS} to send its request, or to take its response, is closed (the JDK server's
 * {@code sun.net.httpserver.maxReqTime}/{@code maxRspTime}, set here unless already set); at most {@link #THREADS}
 * reviews are answered at once. The API server gives up after the configuration's {@code timeoutSeconds} (5) anyway.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    public static final String PATH = "/validate/proxysqlopsrequests";
    public static final String MUTATE_PATH = "/mutate/proxysqlopsrequests";
    static final int REQUEST_SECONDS = 10;
    static final int THREADS = 4;

    private final KubernetesClient client;
    private final WebhookSettings settings;
    private final WebhookClientAuth clientAuth;
    private final AdmissionReviewHandler handler;
    private final QueueStampHandler stamper = new QueueStampHandler(QueueStamp.Source.system());
    private HttpsServer server;
    private ExecutorService executor;
    private WebhookCertificates certificates;

    public WebhookServer(KubernetesClient client, WebhookSettings settings, RequestValidator validator) {
        this.client = client;
        this.settings = settings;
        this.clientAuth = settings.clientAuth();
        this.handler = new AdmissionReviewHandler(validator, client.getKubernetesSerialization(), clientAuth.required());
    }

    /** Loads or generates the certificate, listens, and (generated mode) publishes the caBundle. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the webhook server is already started");
        }
        certificates = WebhookCertificates.load(settings.certDir())
                .orElseGet(() -> WebhookCertificates.generate(settings.certificateHosts()));
        limitRequestTimes();
        SSLContext tls = certificates.sslContext(clientAuth.trustManagers());
        HttpsServer s = HttpsServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                // With a client CA, a caller without a certificate it signed gets no TLS connection at all.
                p.setNeedClientAuth(clientAuth.required());
                params.setSSLParameters(p);
            }
        });
        s.createContext(PATH, this::exchange);
        s.createContext(MUTATE_PATH, this::exchange);
        executor = boundedExecutor();
        s.setExecutor(executor);
        s.start();
        server = s;
        LOG.info("admission webhook listening on https://{}:{}{} and {} with the certificate {}", settings.bindAddress(), port(), PATH,
                MUTATE_PATH, certificates.source());
        if (clientAuth.required()) {
            LOG.info("admission webhook: callers must present a client certificate signed by {}", clientAuth.source());
        } else {
            LOG.warn("admission webhook: callers are not authenticated (no --webhook-client-ca): anything that reaches port {} can post"
                    + " reviews, so answers that depend on a Secret's content are left to the controller (docs/admission.md)", port());
        }
        if (certificates.caBundlePem().isPresent()) {
            publishCaBundle();
        } else {
            LOG.info("admission webhook: serving the provided certificate; the caBundle of Validating- and MutatingWebhookConfiguration"
                    + " {} is left to the installation (e.g. cert-manager's CA injector)", settings.configurationName());
        }
    }

    /**
     * Publishes the generated CA into the Validating- and MutatingWebhookConfiguration again (start does it once); for
     * a configuration created after the operator started. Does nothing with a provided certificate.
     */
    public Map<CaBundlePublisher.Target, CaBundlePublisher.Result> publishCaBundle() {
        Map<CaBundlePublisher.Target, CaBundlePublisher.Result> results = new EnumMap<>(CaBundlePublisher.Target.class);
        Optional<String> ca = certificates == null ? Optional.empty() : certificates.caBundlePem();
        for (CaBundlePublisher.Target target : CaBundlePublisher.Target.values()) {
            CaBundlePublisher.Result result = ca.isEmpty()
                    ? new CaBundlePublisher.Result(CaBundlePublisher.Outcome.SKIPPED, List.of(), "no generated CA to publish")
                    : CaBundlePublisher.publish(client, target, settings.configurationName(), ca.get());
            switch (result.outcome()) {
                case PATCHED -> LOG.info("admission webhook: {}", result.detail());
                case NOT_FOUND, NO_WEBHOOKS, SKIPPED -> LOG.warn("admission webhook: {}", result.detail());
                case FAILED -> LOG.error("admission webhook: {}", result.detail());
            }
            results.put(target, result);
        }
        return results;
    }

    /** The port listened on (the actual one when the settings asked for an ephemeral port). */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** The generated CA as PEM (empty with a provided certificate or before start). */
    public synchronized Optional<String> caBundlePem() {
        return certificates == null ? Optional.empty() : certificates.caBundlePem();
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(REQUEST_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
        LOG.info("admission webhook stopped");
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            AdmissionReviewHandler.Reply reply;
            String path = exchange.getRequestURI().getPath();
            Optional<String> refused = clientAuth.refusal(exchange instanceof HttpsExchange https ? https.getSSLSession() : null);
            if (refused.isPresent()) {
                reply = AdmissionReviewHandler.Reply.text(403, refused.get());
            } else if (!PATH.equals(path) && !MUTATE_PATH.equals(path)) {
                reply = AdmissionReviewHandler.Reply.text(404, "not found: the webhook serves " + PATH + " and " + MUTATE_PATH);
            } else {
                try (InputStream in = exchange.getRequestBody()) {
                    String method = exchange.getRequestMethod();
                    String type = exchange.getRequestHeaders().getFirst("Content-Type");
                    reply = PATH.equals(path) ? handler.handle(method, type, in) : stamper.handle(method, type, in);
                } catch (RuntimeException e) {
                    LOG.error("admission webhook: unexpected error answering a review: {}", e.toString());
                    reply = AdmissionReviewHandler.Reply.text(500, "internal error: " + e.getClass().getSimpleName());
                }
            }
            if (reply.status() != 200) {
                LOG.warn("admission webhook: HTTP {} to {} {} from {}: {}", reply.status(), exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), exchange.getRemoteAddress(), reply.bodyText().strip());
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private static ExecutorService boundedExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "admission-webhook-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The JDK server reads these once, when its first instance is created, and has no per-server setting; they close
     * a connection whose request (headers and body) or response is not done in time. Left alone if set by the user.
     */
    static void limitRequestTimes() {
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_SECONDS));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
