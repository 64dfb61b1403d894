package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.ProxySqlConfigInput;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.ConfigFile;
import dev.proxysql.operator.topology.StatefulSetFactory;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * The provisioner's resolved references turned into the renderer's and the StatefulSet factory's inputs, through the
 * renderings it shares with the ops manager ({@link ConfigFile}, {@link StatefulSetFactory}).
 */
final class ConfigInputMapper {
    private ConfigInputMapper() {
    }

    /**
     * {@code monitor}: the {@code <name>-monitor} Secret's credentials, never the backend's (AppBinding's) own;
     * {@code mode}: this reconcile's decision ({@link BackendModeDecision}); {@code members}: the backend servers to list
     * ({@link BackendMemberDiscovery}).
     */
    static ProxySqlConfigInput map(ProxySQL p, ResolvedReferences refs, List<BackendAddress> members, String clusterPassword,
                                   Credentials monitor, BackendMode mode) {
        return ConfigFile.input(p, refs.version(), refs.backend(), refs.backendAddress(), members, refs.initSecret(), clusterPassword,
                monitor, mode);
    }

    static StatefulSetFactory.Inputs statefulSetInputs(ProxySQL p, ResolvedReferences refs) {
        return StatefulSetFactory.Inputs.of(p, refs.version(), refs.backend(), refs.backendAddress());
    }

    static String text(Secret s, String key) {
        return ConfigFile.text(s, key);
    }
}
