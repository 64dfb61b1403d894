package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * What a test of the operator in front of real ProxySQL and a real MariaDB installs: a ProxySQLVersion per local build
 * (image {@code local/proxysql:<build>}, which {@link ProxySqlPods} maps to the build) and the AppBinding of the local
 * MariaDB, named {@link OperatorFixture#BACKEND}, with its administrator's Secret.
 */
public final class LocalBackendBinding {
    private LocalBackendBinding() {
    }

    /** The catalog name of a local build, e.g. 2.7.1-local. */
    public static String version(String build) {
        return build + "-local";
    }

    public static String image(String build) {
        return "local/proxysql:" + build;
    }

    /** The images of every local build, to the build, for {@link ProxySqlPods}. */
    public static Map<String, String> images() {
        return Map.of(image(ProxySqlBuilds.oldest()), ProxySqlBuilds.oldest(), image(ProxySqlBuilds.newest()), ProxySqlBuilds.newest());
    }

    /** A ProxySQLVersion for each local build. */
    public static void installVersions(KubernetesClient admin) {
        for (String build : images().values()) {
            admin.resource(Serialization.unmarshal("""
                    apiVersion: catalog.kubedb.com/v1alpha1
                    kind: ProxySQLVersion
                    metadata: {name: %s}
                    spec:
                      version: %s
                      proxysql: {image: "%s"}
                      podSecurityPolicies: {databasePolicyName: proxysql-db}
                      securityContext: {runAsUser: 999}
                    """.formatted(version(build), version(build), image(build)), ProxySQLVersion.class))
                    .fieldManager("test-install").forceConflicts().serverSideApply();
        }
    }

    /**
     * The AppBinding of {@code mariadb}, logging in as {@code admin}, of a type naming no MySQL flavour, announcing
     * the server's own version string. The one way tests in front of real ProxySQL bind their backend.
     */
    public static void bind(KubernetesClient client, String namespace, LocalMariaDb mariadb, String admin, String password) {
        bind(client, namespace, mariadb, admin, password, "example.com/standalone-server");
    }

    /**
     * The same with the AppBinding's {@code spec.type}, e.g. {@code kubedb.com/mariadb} as KubeDB writes it for any
     * MariaDB, standalone or Galera (only a hint of the backend mode: the provisioner reads the mode from the server).
     */
    public static void bind(KubernetesClient client, String namespace, LocalMariaDb mariadb, String admin, String password, String type) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("mariadb-auth").endMetadata()
                .withType("kubernetes.io/basic-auth").withStringData(Map.of("username", admin, "password", password)).build()).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: %s, namespace: %s}
                spec:
                  type: %s
                  # What ProxySQL tells clients it is: with "MariaDB" in it Connector/J does not send MySQL 8's
                  # transaction_isolation, which the MariaDB behind ProxySQL would refuse.
                  version: "%s"
                  clientConfig: {url: "tcp(%s:%d)/"}
                  secret: {name: mariadb-auth}
                """.formatted(OperatorFixture.BACKEND, namespace, type, serverVersion(mariadb), LocalMariaDb.HOST, mariadb.port()), AppBinding.class)).create();
    }

    private static String serverVersion(LocalMariaDb mariadb) {
        try (Connection c = mariadb.connectAsSetupUser(); ResultSet rs = c.createStatement().executeQuery("SELECT @@version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the version of MariaDB on port " + mariadb.port(), e);
        }
    }
}
