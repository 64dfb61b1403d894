package dev.proxysql.operator.admission;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the admission webhook runs (see docs/admission.md).
 *
 * @param enabled           serve it at all ({@code --webhook-port=0} switches it off)
 * @param bindAddress       address to listen on: 0.0.0.0 in a cluster, 127.0.0.1 in tests
 * @param port              port to listen on (0 here means an ephemeral port, for tests; the command line maps 0 to
 *                          "disabled")
 * @param certDir           directory with tls.crt and tls.key to serve; null, or a directory without them, means
 *                          generate a self-signed CA and serving certificate at start-up
 * @param serviceName       the Service in front of the webhook, whose DNS names the generated certificate covers
 * @param serviceNamespace  its namespace
 * @param extraHosts        further names (or IP addresses) for the generated certificate
 * @param configurationName the Validating- and MutatingWebhookConfiguration (same name) whose webhooks get the generated
 *                          CA as caBundle
 * @param clientCaFile      PEM file with the CA that signs the API server's client certificate; null: callers are not
 *                          authenticated, and no answer depends on a Secret's content (see {@link WebhookClientAuth})
 * @param clientNames       the names (subject CN or DNS name) a client certificate may carry
 */
public record WebhookSettings(boolean enabled, String bindAddress, int port, Path certDir, String serviceName,
                              String serviceNamespace, List<String> extraHosts, String configurationName, Path clientCaFile,
                              List<String> clientNames) {
    public static final int DEFAULT_PORT = 8443;
    public static final String DEFAULT_SERVICE = "proxysql-operator-webhook";
    public static final String DEFAULT_NAMESPACE = "proxysql-operator-system";
    public static final String DEFAULT_CONFIGURATION = "proxysql-operator";

    public WebhookSettings {
        extraHosts = List.copyOf(extraHosts);
        clientNames = List.copyOf(clientNames);
    }

    /** Without client authentication. */
    public WebhookSettings(boolean enabled, String bindAddress, int port, Path certDir, String serviceName, String serviceNamespace,
                           List<String> extraHosts, String configurationName) {
        this(enabled, bindAddress, port, certDir, serviceName, serviceNamespace, extraHosts, configurationName, null,
                List.of(WebhookClientAuth.DEFAULT_NAME));
    }

    /** The same settings, requiring client certificates signed by the CA in {@code caFile} and carrying one of {@code names}. */
    public WebhookSettings withClientAuth(Path caFile, List<String> names) {
        return new WebhookSettings(enabled, bindAddress, port, certDir, serviceName, serviceNamespace, extraHosts, configurationName,
                caFile, names);
    }

    /** Who may call: loads the client CA file, if any. */
    public WebhookClientAuth clientAuth() {
        return clientCaFile == null ? WebhookClientAuth.none() : WebhookClientAuth.load(clientCaFile, clientNames);
    }

    public static WebhookSettings disabled() {
        return new WebhookSettings(false, "0.0.0.0", DEFAULT_PORT, null, DEFAULT_SERVICE, DEFAULT_NAMESPACE, List.of(),
                DEFAULT_CONFIGURATION);
    }

    /** The names a generated serving certificate covers: the Service's two DNS names, then the extra hosts. */
    public List<String> certificateHosts() {
        List<String> hosts = new ArrayList<>(WebhookCertificates.serviceNames(serviceName, serviceNamespace));
        extraHosts.stream().filter(h -> !h.isBlank() && !hosts.contains(h)).forEach(hosts::add);
        return hosts;
    }
}
