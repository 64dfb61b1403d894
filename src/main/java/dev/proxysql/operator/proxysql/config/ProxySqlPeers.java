package dev.proxysql.operator.proxysql.config;

import java.util.ArrayList;
import java.util.List;

/** Names of the ProxySQL pods that form a ProxySQL Cluster. */
public final class ProxySqlPeers {

    private ProxySqlPeers() {
    }

    /**
     * The stable DNS names {@code <name>-<i>.<name>-pods.<namespace>.svc} that the PetSet's pods get
     * from the governing (headless) service {@code <name>-pods}; they survive pod re-creation, unlike pod IPs.
     */
    public static List<String> stableDnsNames(String proxySqlName, String namespace, int replicas) {
        List<String> names = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            names.add(proxySqlName + "-" + i + "." + proxySqlName + "-pods." + namespace + ".svc");
        }
        return List.copyOf(names);
    }
}
