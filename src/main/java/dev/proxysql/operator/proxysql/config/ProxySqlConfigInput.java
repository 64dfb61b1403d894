package dev.proxysql.operator.proxysql.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything {@link ProxySqlCnfRenderer} needs, gathered by the provisioner from the ProxySQL object,
 * its auth Secret, the backend AppBinding and the init configuration.
 *
 * @param clusterAdmin  the auth Secret's credentials (KubeDB: username {@code cluster}); used for remote
 *                      admin access and as {@code admin-cluster_username/password}
 * @param monitor       credentials ProxySQL's monitor module uses on the backend ({@code mysql-monitor_*})
 * @param backend       the servers to route to
 * @param proxySqlPeers stable host names of all ProxySQL pods, see {@link ProxySqlPeers#stableDnsNames};
 *                      {@code proxysql_servers} is rendered only when there is more than one
 * @param inline        {@code spec.configuration.init.inline}, or {@code null}
 * @param initSecret    the decoded init Secret, or {@code null}
 * @param metricsEndpoint serve ProxySQL's own Prometheus endpoint ({@code admin-restapi_enabled}, port 6070 at
 *                      {@code /metrics}): for a monitored ProxySQL whose catalog entry names no exporter image
 * @param frontendTls   {@code spec.tls} is set: clients are offered TLS ({@code mysql-have_ssl=true}, also on versions
 *                      before 2.6.0, where it was off by default) with the certificate files the pod links into the datadir
 */
public record ProxySqlConfigInput(
        Credentials clusterAdmin,
        Credentials monitor,
        Backend backend,
        List<String> proxySqlPeers,
        InlineInitConfig inline,
        InitSecret initSecret,
        boolean metricsEndpoint,
        boolean frontendTls) {

    public ProxySqlConfigInput {
        // Null entries are kept (not List.copyOf) so that they are reported as errors instead of throwing.
        proxySqlPeers = proxySqlPeers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(proxySqlPeers));
        inline = inline == null ? InlineInitConfig.empty() : inline;
    }

    /** Without frontend TLS. */
    public ProxySqlConfigInput(Credentials clusterAdmin, Credentials monitor, Backend backend, List<String> proxySqlPeers,
                               InlineInitConfig inline, InitSecret initSecret, boolean metricsEndpoint) {
        this(clusterAdmin, monitor, backend, proxySqlPeers, inline, initSecret, metricsEndpoint, false);
    }

    /** Without ProxySQL's own metrics endpoint. */
    public ProxySqlConfigInput(Credentials clusterAdmin, Credentials monitor, Backend backend, List<String> proxySqlPeers,
                               InlineInitConfig inline, InitSecret initSecret) {
        this(clusterAdmin, monitor, backend, proxySqlPeers, inline, initSecret, false, false);
    }
}
