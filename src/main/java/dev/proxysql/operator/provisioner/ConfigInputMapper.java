package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.kubedb.v1.MySQLUser;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLConfiguration;
import dev.proxysql.operator.proxysql.config.Backend;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.BackendServer;
import dev.proxysql.operator.proxysql.config.BackendTls;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.proxysql.config.InlineInitConfig;
import dev.proxysql.operator.proxysql.config.MySqlUser;
import dev.proxysql.operator.proxysql.config.MySqlVariableDefaults;
import dev.proxysql.operator.proxysql.config.ProxySqlConfigInput;
import dev.proxysql.operator.proxysql.config.ProxySqlPeers;
import dev.proxysql.operator.topology.Monitoring;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.StatefulSetFactory;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a ProxySQL and the objects it refers to into the renderer's and the StatefulSet factory's inputs. The backend
 * (AppBinding) Secret's credentials go into neither: ProxySQL gets the {@code <name>-monitor} Secret's.
 */
final class ConfigInputMapper {
    private ConfigInputMapper() {
    }

    /** {@code monitor}: the {@code <name>-monitor} Secret's credentials, never the backend's (AppBinding's) own. */
    static ProxySqlConfigInput map(ProxySQL p, ResolvedReferences refs, String clusterPassword, Credentials monitor) {
        AppBinding binding = refs.backend();
        boolean tls = statefulSetInputs(p, refs).backendTls();
        Backend backend = new Backend(mode(binding),
                List.of(new BackendServer(refs.backendAddress().host(), refs.backendAddress().port(), tls)),
                tls ? BackendTls.caOnly(TlsLayout.BACKEND_MOUNT) : null, MySqlVariableDefaults.clientFacingVersion(binding.getSpec().getType(), binding.getSpec().getVersion()));
        Credentials cluster = new Credentials(ProxySQLNames.CLUSTER_USER, clusterPassword);
        List<String> peers = ProxySqlPeers.stableDnsNames(p.getMetadata().getName(), p.getMetadata().getNamespace(),
                ProxySQLNames.replicas(p));
        InitSecret initSecret = refs.initSecret()
                .map(s -> new InitSecret(s.getMetadata().getName(), decoded(s)))
                .orElse(null);
        return new ProxySqlConfigInput(cluster, monitor, backend, peers, inline(p), initSecret, Monitoring.servesOwnMetrics(p, refs.version()),
                TlsLayout.enabled(p));
    }

    static StatefulSetFactory.Inputs statefulSetInputs(ProxySQL p, ResolvedReferences refs) {
        return StatefulSetFactory.Inputs.of(p, refs.version(), refs.backend(), refs.backendAddress());
    }

    /**
     * KubeDB detects the mode from the backend: MariaDB and Percona XtraDB run Galera, KubeDB's MySQL for ProxySQL is
     * Group Replication. Any other AppBinding type is treated as a single server with no role detection.
     */
    static BackendMode mode(AppBinding binding) {
        String type = binding.getSpec().getType() == null ? "" : binding.getSpec().getType().toLowerCase(Locale.ROOT);
        if (type.contains("mariadb") || type.contains("xtradb") || type.contains("galera")) {
            return BackendMode.GALERA;
        }
        if (type.contains("mysql")) {
            return BackendMode.GROUP_REPLICATION;
        }
        return BackendMode.STANDALONE;
    }

    /** {@code configuration.init.inline}, else the deprecated {@code initConfig}. */
    private static InlineInitConfig inline(ProxySQL p) {
        ProxySQLConfiguration c = null;
        var conf = p.getSpec().getConfiguration();
        if (conf != null && conf.getInit() != null) {
            c = conf.getInit().getInline();
        }
        if (c == null) {
            c = p.getSpec().getInitConfig();
        }
        if (c == null) {
            return InlineInitConfig.empty();
        }
        List<MySqlUser> users = c.getMysqlUsers() == null ? null : c.getMysqlUsers().stream().map(ConfigInputMapper::user).toList();
        return new InlineInitConfig(users, c.getMysqlQueryRules(), c.getMysqlVariables(), c.getAdminVariables());
    }

    private static MySqlUser user(MySQLUser u) {
        return new MySqlUser(u.getUsername(), u.getActive(), u.getUseSsl(), u.getDefaultHostgroup(), u.getDefaultSchema(),
                u.getSchemaLocked(), u.getTransactionPersistent(), u.getFastForward(), u.getBackend(), u.getFrontend(),
                u.getMaxConnections(), u.getAttributes(), u.getComment());
    }

    static String text(Secret s, String key) {
        if (s.getStringData() != null && s.getStringData().containsKey(key)) {
            return s.getStringData().get(key);
        }
        String b64 = s.getData() == null ? null : s.getData().get(key);
        return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static Map<String, String> decoded(Secret s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().keySet().forEach(k -> out.put(k, text(s, k)));
        }
        if (s.getStringData() != null) {
            out.putAll(s.getStringData());
        }
        return out;
    }
}
