package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.SecretReference;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.ConfigFile;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.StatefulSetFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds everything a ProxySQL refers to, read-only, and says precisely what is missing: the provisioner creates
 * nothing until all of it is there, so a typo never leaves half a deployment behind.
 *
 * <p>ProxySQLVersions and AppBindings come from informer caches (they also trigger reconciles when they appear);
 * user Secrets are read directly, so the operator does not cache every Secret of the cluster.
 */
public final class ReferenceResolver {
    private final KubernetesClient client;
    private final Function<String, ProxySQLVersion> versions;
    private final Function<ProxySQL, AppBinding> appBindings;

    public ReferenceResolver(KubernetesClient client, Function<String, ProxySQLVersion> versions,
                             Function<ProxySQL, AppBinding> appBindings) {
        this.client = client;
        this.versions = versions;
        this.appBindings = appBindings;
    }

    public ResolvedReferences resolve(ProxySQL p, boolean alreadyDeployed) {
        String ns = p.getMetadata().getNamespace();
        String versionName = p.getSpec().getVersion();
        ProxySQLVersion version = versions.apply(versionName);
        if (version == null) {
            return ResolvedReferences.failed("ProxySQLVersionNotFound", "spec.version: ProxySQLVersion \"" + versionName
                    + "\" does not exist (kubectl get prxversion lists the available ones)");
        }
        if (Boolean.TRUE.equals(version.getSpec().getDeprecated()) && !alreadyDeployed) {
            return ResolvedReferences.failed("ProxySQLVersionDeprecated", "spec.version: ProxySQLVersion \"" + versionName
                    + "\" is deprecated and is not used for new deployments; choose a version that is not deprecated");
        }
        String envProblem = forbiddenEnv(p);
        if (envProblem != null) {
            return ResolvedReferences.failed("InvalidPodTemplate", envProblem);
        }
        String backendName = p.getSpec().getBackend().getName();
        AppBinding binding = appBindings.apply(p);
        if (binding == null) {
            return ResolvedReferences.failed("BackendNotFound", "spec.backend: AppBinding \"" + backendName
                    + "\" does not exist in namespace " + ns);
        }
        Optional<BackendAddress> address = BackendAddress.of(binding);
        if (address.isEmpty()) {
            return ResolvedReferences.failed("BackendAddressMissing", "spec.backend: AppBinding \"" + backendName
                    + "\" has no usable address: set spec.clientConfig.service.name or spec.clientConfig.url (host:port),"
                    + " with a port from 1 to 65535");
        }
        if (binding.getSpec().getSecret() == null || isBlank(binding.getSpec().getSecret().getName())) {
            return ResolvedReferences.failed("BackendSecretMissing", "spec.backend: AppBinding \"" + backendName
                    + "\" has no spec.secret naming the Secret with the backend's username and password");
        }
        String backendSecretName = binding.getSpec().getSecret().getName();
        Secret backendSecret = secret(ns, backendSecretName);
        if (backendSecret == null || !hasKeys(backendSecret, "username", "password")) {
            return ResolvedReferences.failed("BackendSecretMissing", "spec.backend: Secret \"" + backendSecretName
                    + "\" of AppBinding \"" + backendName + "\" " + (backendSecret == null ? "does not exist"
                    : "lacks the username and password keys"));
        }
        SecretReference authRef = p.getSpec().getAuthSecret();
        String authName = ProxySQLNames.authSecret(p);
        Secret auth = secret(ns, authName);
        if (auth == null && authRef != null && Boolean.TRUE.equals(authRef.getExternallyManaged())) {
            return ResolvedReferences.failed("AuthSecretNotFound", "spec.authSecret: externally managed Secret \""
                    + authName + "\" does not exist yet");
        }
        if (auth != null && !hasKeys(auth, "password")) {
            return ResolvedReferences.failed("AuthSecretInvalid", "spec.authSecret: Secret \"" + authName + "\" has no password key");
        }
        Secret monitor = secret(ns, ProxySQLNames.monitorSecret(p));
        if (monitor != null && !hasKeys(monitor, "username", "password")) {
            return ResolvedReferences.failed("MonitorSecretInvalid", "Secret \"" + ProxySQLNames.monitorSecret(p)
                    + "\" lacks the username and password keys; delete it and the operator creates a new one");
        }
        if (monitor != null && !ProxySQLNames.monitorUser(p).equals(ConfigInputMapper.text(monitor, "username"))) {
            // The operator runs CREATE/ALTER USER for this name with the backend's admin credentials: only its own
            // per-ProxySQL user may be named, or a Secret made by anyone who may create Secrets here could reset the
            // password of any backend account (root included). The found username is not quoted.
            return ResolvedReferences.failed("MonitorSecretNotOwned", "Secret \"" + ProxySQLNames.monitorSecret(p)
                    + "\": its username is not this ProxySQL's monitor user '" + ProxySQLNames.monitorUser(p) + "', and the"
                    + " operator creates and changes only that user on the backend, never an account another Secret names;"
                    + " delete the Secret and the operator creates its own");
        }
        Optional<Secret> init = Optional.empty();
        String initName = initSecretName(p);
        if (initName != null) {
            Secret s = secret(ns, initName);
            if (s == null) {
                return ResolvedReferences.failed("ConfigSecretNotFound", "spec.configuration.init.secretName: Secret \""
                        + initName + "\" does not exist");
            }
            init = Optional.of(s);
        }
        return new ResolvedReferences(Optional.empty(), version, binding, address.get(), backendSecret,
                Optional.ofNullable(auth), Optional.ofNullable(monitor), init);
    }

    /** The init Secret: {@code configuration.init.secretName}, else the deprecated {@code configSecret}. */
    static String initSecretName(ProxySQL p) {
        return ConfigFile.initSecretName(p);
    }

    private static String forbiddenEnv(ProxySQL p) {
        for (Container c : StatefulSetFactory.userContainers(p.getSpec().getPodTemplate())) {
            if (c.getEnv() == null) {
                continue;
            }
            for (var e : c.getEnv()) {
                if (StatefulSetFactory.FORBIDDEN_ENV.contains(e.getName())) {
                    return "spec.podTemplate.spec.containers[" + c.getName() + "].env: " + e.getName()
                            + " is reserved: the operator configures the backend credentials itself";
                }
            }
        }
        return null;
    }

    private Secret secret(String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    private static boolean hasKeys(Secret s, String... keys) {
        for (String k : keys) {
            boolean inData = s.getData() != null && s.getData().containsKey(k);
            boolean inString = s.getStringData() != null && s.getStringData().containsKey(k);
            if (!inData && !inString) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
