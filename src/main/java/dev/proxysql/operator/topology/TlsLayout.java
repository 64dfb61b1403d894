package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a ProxySQL's TLS material lives: the certificate Secrets (named as KubeDB names them), the operator's own CA
 * Secret, and the files in the pod.
 *
 * <p>ProxySQL (2.6.5 and 2.7.1, {@code src/proxy_tls.cpp}) takes its frontend certificate from three files of fixed
 * names in its datadir, {@code proxysql-cert.pem}, {@code proxysql-key.pem} and {@code proxysql-ca.pem}; no variable
 * names them. It needs all three or none (none: it generates a self-signed pair; some: it exits at start-up), reads
 * only the first certificate of each file, and sends the CA file's certificate as the chain. The datadir is a
 * writable emptyDir (it holds {@code proxysql.db}), so the certificate Secret is mounted elsewhere and an init
 * container links the three names to the mounted keys: the links resolve through the Secret volume's {@code ..data}
 * link at every open, so a rotated Secret reaches ProxySQL at its next {@code PROXYSQL RELOAD TLS}, with no restart.
 */
public final class TlsLayout {
    public static final String SERVER = "server";
    public static final String CLIENT = "client";
    public static final String METRICS_EXPORTER = "metrics-exporter";
    /** The certificate aliases KubeDB's ProxySQL knows. */
    public static final List<String> ALIASES = List.of(SERVER, CLIENT, METRICS_EXPORTER);
    /** Where the server certificate Secret is mounted in the proxysql container. */
    public static final String SERVER_MOUNT = "/etc/proxysql-tls/server";
    public static final String INIT_CONTAINER = "tls-files";
    public static final String VOLUME = "server-tls";
    /** The AppBinding's {@code spec.tlsSecret}, whose {@code ca.crt} ProxySQL verifies the backend with ({@code mysql-ssl_p2s_ca}). */
    public static final String BACKEND_VOLUME = "backend-tls";
    /** Where KubeDB mounts the backend certificate Secret (also {@code BackendTls.KUBEDB_MOUNT_PATH}). */
    public static final String BACKEND_MOUNT = "/var/lib/certs";
    /** The datadir file name ProxySQL reads for each key of a {@code kubernetes.io/tls} Secret. */
    public static final Map<String, String> DATADIR_FILES = Map.of(
            "tls.crt", "proxysql-cert.pem", "tls.key", "proxysql-key.pem", "ca.crt", "proxysql-ca.pem");

    private TlsLayout() {
    }

    public static boolean enabled(ProxySQL p) {
        return p.getSpec().getTls() != null;
    }

    /**
     * The Secret holding the certificate of {@code alias}: the {@code secretName} of its {@code spec.tls.certificates}
     * entry when given (as KubeDB allows), else {@code <name>-<alias>-cert}.
     */
    public static String certSecret(ProxySQL p, String alias) {
        TLSConfig tls = p.getSpec().getTls();
        if (tls != null && tls.getCertificates() != null) {
            for (Map<String, Object> c : tls.getCertificates()) {
                if (alias.equals(c.get("alias")) && c.get("secretName") instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
        }
        return p.getMetadata().getName() + "-" + alias + "-cert";
    }

    /** The cert-manager Certificate of {@code alias}: KubeDB names it {@code <name>-<alias>-cert}. */
    public static String certificate(ProxySQL p, String alias) {
        return p.getMetadata().getName() + "-" + alias + "-cert";
    }

    /** The CA the operator creates once when no cert-manager issuer is named. */
    public static String operatorCaSecret(ProxySQL p) {
        return p.getMetadata().getName() + "-operator-ca";
    }

    /**
     * The names a client may reach a ProxySQL by: its Services (short, namespaced and fully qualified) and every
     * pod of the governing Service (a wildcard, so a scaled ProxySQL needs no new certificate), plus loopback for
     * clients in the pod.
     */
    public static List<String> serverHosts(ProxySQL p) {
        String ns = p.getMetadata().getNamespace();
        List<String> hosts = new ArrayList<>();
        for (String service : List.of(ProxySQLNames.primaryService(p), ProxySQLNames.governingService(p))) {
            hosts.add(service);
            hosts.add(service + "." + ns);
            hosts.add(service + "." + ns + ".svc");
            hosts.add(service + "." + ns + ".svc.cluster.local");
        }
        hosts.add("*." + ProxySQLNames.governingService(p) + "." + ns + ".svc");
        hosts.add("*." + ProxySQLNames.governingService(p) + "." + ns + ".svc.cluster.local");
        hosts.add("localhost");
        hosts.add("127.0.0.1");
        return hosts;
    }

    /**
     * The shell script the init container runs: links ProxySQL's three datadir files to the mounted Secret's keys.
     * The paths are parameters so that a test can run the very same script against a local datadir.
     */
    public static String linkScript(String datadir, String certDir) {
        StringBuilder script = new StringBuilder("set -e");
        for (String key : List.of("tls.crt", "tls.key", "ca.crt")) {
            script.append("; ln -sfn '").append(certDir).append('/').append(key).append("' '")
                    .append(datadir).append('/').append(DATADIR_FILES.get(key)).append('\'');
        }
        return script.toString();
    }
}
