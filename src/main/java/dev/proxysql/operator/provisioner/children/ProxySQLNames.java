package dev.proxysql.operator.provisioner.children;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;

/** Names of a ProxySQL's offshoots, as KubeDB gives them. */
public final class ProxySQLNames {
    public static final String CONTAINER = "proxysql";
    public static final String EXPORTER_CONTAINER = "exporter";
    public static final int MYSQL_PORT = 6033;
    public static final int ADMIN_PORT = 6032;
    public static final int METRICS_PORT = 6070;
    public static final String CONFIG_KEY = "proxysql.cnf";
    public static final String CONFIG_MOUNT = "/etc/custom-config";
    public static final String DATA_MOUNT = "/var/lib/proxysql";
    public static final String CLUSTER_USER = "cluster";

    private ProxySQLNames() {
    }

    public static String statefulSet(ProxySQL p) {
        return p.getMetadata().getName();
    }

    public static String primaryService(ProxySQL p) {
        return p.getMetadata().getName();
    }

    public static String governingService(ProxySQL p) {
        return p.getMetadata().getName() + "-pods";
    }

    public static String statsService(ProxySQL p) {
        return p.getMetadata().getName() + "-stats";
    }

    public static String configSecret(ProxySQL p) {
        return p.getMetadata().getName() + "-configuration";
    }

    public static String generatedAuthSecret(ProxySQL p) {
        return p.getMetadata().getName() + "-auth";
    }

    /** The auth Secret in use: the one the spec names, or the generated {@code <name>-auth}. */
    public static String authSecret(ProxySQL p) {
        var ref = p.getSpec().getAuthSecret();
        return ref != null && ref.getName() != null && !ref.getName().isEmpty() ? ref.getName() : generatedAuthSecret(p);
    }

    public static String podDisruptionBudget(ProxySQL p) {
        return p.getMetadata().getName();
    }

    /** Stable DNS name of pod {@code ordinal}, through the governing Service. */
    public static String podHost(ProxySQL p, int ordinal) {
        return statefulSet(p) + "-" + ordinal + "." + governingService(p) + "." + p.getMetadata().getNamespace() + ".svc";
    }

    public static int replicas(ProxySQL p) {
        Integer r = p.getSpec().getReplicas();
        return r == null ? 1 : r;
    }
}
