package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfResult;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.BackendMembers;
import dev.proxysql.operator.topology.BackendModes;
import dev.proxysql.operator.topology.ConfigFile;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import dev.proxysql.operator.topology.StatefulSetFactory;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the StatefulSet of a ProxySQL with the provisioner's own renderer ({@link StatefulSetFactory}), from what
 * the ProxySQL refers to (its ProxySQLVersion, its backend's AppBinding) read live. The ops manager renders the spec a
 * request leaves behind, so the template it rolls the pods to is exactly the one the provisioner keeps after the
 * resume, not a second derivation of it.
 */
public final class TemplateRenderer {
    private final KubernetesClient client;

    public TemplateRenderer(KubernetesClient client) {
        this.client = client;
    }

    /** A rendered StatefulSet, or why there is none. */
    public record Rendered(StatefulSet statefulSet, String problem) {
        public static Rendered of(StatefulSet sts) {
            return new Rendered(sts, null);
        }

        public static Rendered failed(String problem) {
            return new Rendered(null, problem);
        }

        public boolean ok() {
            return problem == null;
        }
    }

    /** A rendered config Secret ({@code proxysql.cnf}), or why there is none. */
    public record RenderedSecret(Secret secret, String problem) {
    }

    /**
     * The config Secret the provisioner renders for {@code p} ({@link ConfigFile}), from the same inputs it reads: the
     * ProxySQLVersion, the AppBinding, the auth and monitor Secrets' passwords, the init Secret. A HorizontalScaling
     * writes it for each member count, so that a new pod starts with the new membership.
     */
    public RenderedSecret renderConfig(ProxySQL p) {
        String ns = p.getMetadata().getNamespace();
        ProxySQLVersion version = client.resources(ProxySQLVersion.class).withName(p.getSpec().getVersion()).get();
        String backend = p.getSpec().getBackend() == null ? null : p.getSpec().getBackend().getName();
        AppBinding binding = backend == null ? null : client.resources(AppBinding.class).inNamespace(ns).withName(backend).get();
        Optional<BackendAddress> address = binding == null ? Optional.empty() : BackendAddress.of(binding);
        Secret auth = client.secrets().inNamespace(ns).withName(ProxySQLNames.authSecret(p)).get();
        Secret monitor = client.secrets().inNamespace(ns).withName(ProxySQLNames.monitorSecret(p)).get();
        String initName = ConfigFile.initSecretName(p);
        Secret init = initName == null ? null : client.secrets().inNamespace(ns).withName(initName).get();
        String missing = version == null ? "ProxySQLVersion \"" + p.getSpec().getVersion() + "\" does not exist"
                : address.isEmpty() ? "spec.backend: AppBinding \"" + backend + "\" does not exist in namespace " + ns + " or has no usable address"
                : auth == null ? "auth Secret " + ProxySQLNames.authSecret(p) + " does not exist"
                : monitor == null ? "monitor Secret " + ProxySQLNames.monitorSecret(p) + " does not exist"
                : initName != null && init == null ? "init Secret " + initName + " does not exist" : null;
        if (missing != null) {
            return new RenderedSecret(null, missing);
        }
        BackendMode mode = BackendModes.inUse(p, binding);
        ProxySqlCnfResult cnf = ProxySqlCnfRenderer.render(ConfigFile.input(p, version, binding, address.get(), members(binding, mode),
                Optional.ofNullable(init), ConfigFile.text(auth, "password"),
                new Credentials(ConfigFile.text(monitor, "username"), ConfigFile.text(monitor, "password")), mode));
        return cnf.isValid() ? new RenderedSecret(ConfigFile.secret(p, cnf.cnfOrThrow()), null) : new RenderedSecret(null, cnf.errorSummary());
    }

    /**
     * The backend servers the provisioner renders ({@link BackendMembers}), read live: the Service's EndpointSlices
     * and the pods they name. The provisioner reads the same from its informer, so both render the same config.
     */
    private List<BackendAddress> members(AppBinding binding, BackendMode mode) {
        Optional<String> service = BackendMembers.discoverable(binding, mode);
        if (service.isEmpty()) {
            return BackendMembers.of(binding, mode, List.of(), Map.of());
        }
        String ns = binding.getMetadata().getNamespace();
        List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(ns)
                .withLabel(BackendMembers.SERVICE_NAME_LABEL, service.get()).list().getItems();
        Map<String, Pod> pods = new HashMap<>();
        for (ObjectReference ref : BackendMembers.podsToName(slices)) {
            Pod pod = client.pods().inNamespace(ns).withName(ref.getName()).get();
            if (pod != null) {
                pods.put(ref.getName(), pod);
            }
        }
        return BackendMembers.of(binding, mode, slices, pods);
    }

    public Rendered render(ProxySQL p) {
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
