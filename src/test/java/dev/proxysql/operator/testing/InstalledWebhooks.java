package dev.proxysql.operator.testing;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The webhook configurations as the installation ships them ({@code deploy/install/operator/webhook.yaml}), for the
 * tests that run the operator's webhook server in this JVM or as a local process: read them, then point their webhook
 * at {@code https://127.0.0.1:<port><path>} for the namespaces a test class labels, so that other test classes do not
 * depend on that operator.
 */
public final class InstalledWebhooks {
    public static final Path FILE = Path.of("deploy/install/operator/webhook.yaml");

    private InstalledWebhooks() {
    }

    public static ValidatingWebhookConfiguration validating(KubernetesClient client) {
        return load(client, ValidatingWebhookConfiguration.class);
    }

    public static MutatingWebhookConfiguration mutating(KubernetesClient client) {
        return load(client, MutatingWebhookConfiguration.class);
    }

    /** Calls this machine's webhook server instead of the Service, only for namespaces labelled {@code namespaceLabel=true}. */
    public static void callLocally(ValidatingWebhook w, int port, String path, String namespaceLabel) {
        local(w.getClientConfig(), port, path);
        w.setNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels(namespaceLabel, "true").build());
    }

    /** {@link #callLocally(ValidatingWebhook, int, String, String)} for the mutating webhook. */
    public static void callLocally(MutatingWebhook w, int port, String path, String namespaceLabel) {
        local(w.getClientConfig(), port, path);
        w.setNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels(namespaceLabel, "true").build());
    }

    private static void local(WebhookClientConfig config, int port, String path) {
        config.setService(null);
        config.setUrl("https://127.0.0.1:" + port + path);
    }

    private static <T> T load(KubernetesClient client, Class<T> kind) {
        try (InputStream in = Files.newInputStream(FILE)) {
            return client.load(in).items().stream().filter(kind::isInstance).map(kind::cast).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " in " + FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
