package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.StatefulSetFactory;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Renders the StatefulSet of a ProxySQL with the provisioner's own renderer ({@link StatefulSetFactory}), from what
 * the ProxySQL refers to (its ProxySQLVersion, its backend's AppBinding) read live. The ops manager renders the spec a
 * request leaves behind, so the template it rolls the pods to is exactly the one the provisioner keeps after the
 * resume, not a second derivation of it.
 */
final class TemplateRenderer {
    private final KubernetesClient client;

    TemplateRenderer(KubernetesClient client) {
        this.client = client;
    }

    /** A rendered StatefulSet, or why there is none. */
    record Rendered(StatefulSet statefulSet, String problem) {
        static Rendered of(StatefulSet sts) {
            return new Rendered(sts, null);
        }

        static Rendered failed(String problem) {
            return new Rendered(null, problem);
        }

        boolean ok() {
            return problem == null;
        }
    }

    Rendered render(ProxySQL p) {
        String ns = p.getMetadata().getNamespace();
        String versionName = p.getSpec().getVersion();
        ProxySQLVersion version = client.resources(ProxySQLVersion.class).withName(versionName).get();
        if (version == null) {
            return Rendered.failed("ProxySQLVersion \"" + versionName + "\" does not exist");
        }
        String backend = p.getSpec().getBackend() == null ? null : p.getSpec().getBackend().getName();
        AppBinding binding = backend == null ? null : client.resources(AppBinding.class).inNamespace(ns).withName(backend).get();
        if (binding == null) {
            return Rendered.failed("spec.backend: AppBinding \"" + backend + "\" does not exist in namespace " + ns);
        }
        Optional<BackendAddress> address = BackendAddress.of(binding);
        if (address.isEmpty()) {
            return Rendered.failed("spec.backend: AppBinding \"" + backend + "\" has no usable address");
        }
        return Rendered.of(StatefulSetFactory.build(p, StatefulSetFactory.Inputs.of(p, version, binding, address.get())));
    }
}
