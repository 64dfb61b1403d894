package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.provisioner.status.Observation.Problem;
import dev.proxysql.operator.topology.BackendAddress;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Either every object a ProxySQL refers to, found and usable, or the first problem that prevents provisioning.
 *
 * @param authSecret the existing auth Secret, or empty when the operator must create it
 * @param monitorSecret the existing monitor Secret, or empty when the operator must create it
 * @param initSecret the init-configuration Secret, when the spec names one
 */
public record ResolvedReferences(Optional<Problem> problem, ProxySQLVersion version, AppBinding backend,
                                 BackendAddress backendAddress, Secret backendSecret, Optional<Secret> authSecret,
                                 Optional<Secret> monitorSecret, Optional<Secret> initSecret) {

    static ResolvedReferences failed(String reason, String message) {
        return new ResolvedReferences(Optional.of(new Problem(reason, message)), null, null, null, null,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean ok() {
        return problem.isEmpty();
    }
}
