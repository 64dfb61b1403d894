package dev.proxysql.operator.opsmanager.checks;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.topology.ProxySQLNames;

/** Where the admin interface of one pod of a ProxySQL is reached, and how its cluster peers name it. */
@FunctionalInterface
public interface AdminEndpoints {
    /** Where the check connects to reach the pod's admin interface. */
    AdminEndpoint of(ProxySQL proxysql, String pod);

    /**
     * How the pod's cluster peers name it in {@code proxysql_servers}, which the check expects every node to list. By
     * default where it is reached; an operator that reaches pods otherwise than by the name they are rendered under
     * (a test JVM outside the cluster, connecting to pod IPs) keeps the rendered names here.
     */
    default AdminEndpoint peer(ProxySQL proxysql, String pod) {
        return of(proxysql, pod);
    }

    /**
     * The pod's stable DNS name through the governing Service, on the admin port: what the provisioner renders into
     * {@code proxysql_servers}, so the same names are what every node must list.
     */
    static AdminEndpoints podDns() {
        return (p, pod) -> new AdminEndpoint(pod + "." + ProxySQLNames.governingService(p) + "." + p.getMetadata().getNamespace()
                + ".svc", ProxySQLNames.ADMIN_PORT);
    }
}
