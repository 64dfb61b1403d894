package dev.proxysql.operator.proxysql.config;

/**
 * Client certificate files ProxySQL uses for TLS to the backend ({@code mysql-ssl_p2s_*}).
 * When present they are rendered as protected mysql variables; a null file is not rendered.
 */
public record BackendTls(String caFile, String certFile, String keyFile) {

    /** Where KubeDB mounts the backend client certificate Secret in the ProxySQL container. */
    public static final String KUBEDB_MOUNT_PATH = "/var/lib/certs";

    /**
     * Only the CA of a Secret mounted at {@code directory}: ProxySQL encrypts to the backend and its client library
     * (Connector/C 3.3.8) verifies the backend's chain against it; no client certificate is presented.
     */
    public static BackendTls caOnly(String directory) {
        return new BackendTls(directory + "/ca.crt", null, null);
    }

    /** The usual file names of a cert-manager / kubernetes.io/tls Secret mounted at {@code directory}. */
    public static BackendTls mountedAt(String directory) {
        return new BackendTls(directory + "/ca.crt", directory + "/tls.crt", directory + "/tls.key");
    }
}
