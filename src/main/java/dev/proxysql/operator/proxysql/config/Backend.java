package dev.proxysql.operator.proxysql.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The backend ProxySQL routes to, resolved by the provisioner from {@code spec.backend} (an AppBinding).
 *
 * @param mode          how writer/reader roles are detected
 * @param servers       every backend server, in a stable order (e.g. pod ordinal); at least one
 * @param tls           client certificates for TLS to the backend, or {@code null} when not used
 * @param serverVersion the version ProxySQL reports to clients ({@code mysql-server_version}), or
 *                      {@code null} for {@link MySqlVariableDefaults#DEFAULT_SERVER_VERSION}
 */
public record Backend(BackendMode mode, List<BackendServer> servers, BackendTls tls, String serverVersion) {

    public Backend {
        // Null entries are kept (not List.copyOf) so that they are reported as errors instead of throwing.
        servers = servers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(servers));
    }
}
