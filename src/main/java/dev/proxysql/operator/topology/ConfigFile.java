package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
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
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ProxySQL's {@code proxysql.cnf} and its config Secret, rendered from the ProxySQL and the objects it refers to:
 * by the provisioner, and by the ops manager for the spec a request leaves behind (a HorizontalScaling writes the
 * Secret for each new member count, so that a new pod starts with the new membership and the provisioner, after the
 * resume, finds the Secret it would write). The backend (AppBinding) Secret's credentials go into neither: ProxySQL
 * gets the {@code <name>-monitor} Secret's.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * The renderer's input. {@code monitor}: the {@code <name>-monitor} Secret's credentials, never the backend's
     * (AppBinding's) own; {@code initSecret}: the init-configuration Secret when the spec names one. The backend
     * mode is the one in use ({@link BackendModes#inUse}): the override, else the provisioner's record, else the hint.
     */
    public static ProxySqlConfigInput input(ProxySQL p, ProxySQLVersion version, AppBinding binding, BackendAddress address,
                                            Optional<Secret> initSecret, String clusterPassword, Credentials monitor) {
        return input(p, version, binding, address, initSecret, clusterPassword, monitor, BackendModes.inUse(p, binding));
    }

    /**
     * The same, rendered in {@code mode}: the provisioner's decision of this reconcile ({@link BackendModes}), which
     * may differ from the one recorded in status until the status is written.
     */
    public static ProxySqlConfigInput input(ProxySQL p, ProxySQLVersion version, AppBinding binding, BackendAddress address,
                                            Optional<Secret> initSecret, String clusterPassword, Credentials monitor,
                                            BackendMode mode) {
        return input(p, version, binding, address, List.of(address), initSecret, clusterPassword, monitor, mode);
    }

    /**
     * The same, with {@code members} in {@code mysql_servers} ({@link BackendMembers}: every member of a replicated
     * backend's Service, else the AppBinding's one {@code address}).
     */
    public static ProxySqlConfigInput input(ProxySQL p, ProxySQLVersion version, AppBinding binding, BackendAddress address,
                                            List<BackendAddress> members, Optional<Secret> initSecret, String clusterPassword,
                                            Credentials monitor, BackendMode mode) {
        boolean tls = StatefulSetFactory.Inputs.of(p, version, binding, address).backendTls();
        Backend backend = new Backend(mode,
                members.stream().map(m -> new BackendServer(m.host(), m.port(), tls)).toList(),
                tls ? BackendTls.caOnly(TlsLayout.BACKEND_MOUNT) : null, MySqlVariableDefaults.clientFacingVersion(binding.getSpec().getType(), binding.getSpec().getVersion()));
        Credentials cluster = new Credentials(ProxySQLNames.CLUSTER_USER, clusterPassword);
        List<String> peers = ProxySqlPeers.stableDnsNames(p.getMetadata().getName(), p.getMetadata().getNamespace(),
                ProxySQLNames.replicas(p));
        InitSecret init = initSecret
                .map(s -> new InitSecret(s.getMetadata().getName(), decoded(s)))
                .orElse(null);
        return new ProxySqlConfigInput(cluster, monitor, backend, peers, inline(p), init, Monitoring.servesOwnMetrics(p, version),
                TlsLayout.enabled(p));
    }

    /** The config Secret holding {@code proxysqlCnf}, exactly as the provisioner applies it. */
    public static Secret secret(ProxySQL p, String proxysqlCnf) {
        // data, not stringData: what is applied is then exactly what is stored, so the desired-state hash is stable.
        Map<String, String> data = new LinkedHashMap<>();
        data.put(ProxySQLNames.CONFIG_KEY, Base64.getEncoder().encodeToString(proxysqlCnf.getBytes(StandardCharsets.UTF_8)));
        return new SecretBuilder()
                .withMetadata(SecretMetadata.of(p, ProxySQLNames.configSecret(p)))
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** The init Secret's name: {@code configuration.init.secretName}, else the deprecated {@code configSecret}; or null. */
    public static String initSecretName(ProxySQL p) {
        var conf = p.getSpec().getConfiguration();
        if (conf != null && conf.getInit() != null && conf.getInit().getSecretName() != null && !conf.getInit().getSecretName().isBlank()) {
            return conf.getInit().getSecretName();
        }
        var legacy = p.getSpec().getConfigSecret();
        return legacy != null && legacy.getName() != null && !legacy.getName().isBlank() ? legacy.getName() : null;
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
        List<MySqlUser> users = c.getMysqlUsers() == null ? null : c.getMysqlUsers().stream().map(ConfigFile::user).toList();
        return new InlineInitConfig(users, c.getMysqlQueryRules(), c.getMysqlVariables(), c.getAdminVariables());
    }

    private static MySqlUser user(MySQLUser u) {
        return new MySqlUser(u.getUsername(), u.getActive(), u.getUseSsl(), u.getDefaultHostgroup(), u.getDefaultSchema(),
                u.getSchemaLocked(), u.getTransactionPersistent(), u.getFastForward(), u.getBackend(), u.getFrontend(),
                u.getMaxConnections(), u.getAttributes(), u.getComment());
    }

    /** A key of a Secret, from stringData or data; null if absent. */
    public static String text(Secret s, String key) {
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
