package dev.proxysql.operator.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A kubeconfig that authenticates as a ServiceAccount with a token from the TokenRequest API
 * ({@code authentication.k8s.io/v1}), as a pod's projected token does: the API server then authorizes every request
 * with that ServiceAccount's RBAC, which is what the RBAC tests need.
 */
public final class ServiceAccountKubeconfig {
    private ServiceAccountKubeconfig() {
    }

    /** {@code system:serviceaccount:<namespace>:<name>}, the user name the API server (and its audit log) uses. */
    public static String userName(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    /** Requests a token for the ServiceAccount with {@code admin} and writes a kubeconfig using it to {@code file}. */
    public static Path write(KubernetesClient admin, String namespace, String name, Duration validity, Path file) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(validity.toSeconds()).endSpec().build();
        String token = admin.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request).getStatus().getToken();
        Config config = admin.getConfiguration();
        String ca = caData(config);
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: cluster
                  cluster:
                    server: "%s"
                    certificate-authority-data: "%s"
                users:
                - name: %s
                  user:
                    token: "%s"
                contexts:
                - name: %s
                  context: {cluster: cluster, user: %s, namespace: %s}
                current-context: %s
                """.formatted(config.getMasterUrl(), ca, name, token, name, name, namespace, name);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String caData(Config config) {
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            return config.getCaCertData();
        }
        if (config.getCaCertFile() == null) {
            throw new IllegalStateException("the admin kubeconfig names no certificate authority");
        }
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config.getCaCertFile(), e);
        }
    }
}
