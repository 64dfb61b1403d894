package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.provisioner.status.Observation.Health;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** Judges whether a ProxySQL accepts connections (the AcceptingConnection condition). */
public interface ProxySQLHealthCheck {
    Health check(ProxySQL proxysql, StatefulSet statefulSet);

    /**
     * Judges by Kubernetes readiness only: a ProxySQL accepts connections when at least one of its pods is Ready.
     * The condition's message says that no ProxySQL-level check was made.
     */
    static ProxySQLHealthCheck podReadiness() {
        return (proxysql, sts) -> {
            int ready = sts.getStatus() == null || sts.getStatus().getReadyReplicas() == null ? 0 : sts.getStatus().getReadyReplicas();
            return ready > 0
                    ? new Health(true, "DatabaseAcceptingConnectionRequest",
                    ready + " pod(s) ready; no ProxySQL-level check was made")
                    : new Health(false, "DatabaseNotAcceptingConnectionRequest",
                    "No ProxySQL pod is ready; no ProxySQL-level check was made");
        };
    }
}
