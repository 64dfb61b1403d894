package dev.proxysql.operator.provisioner.children;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.topology.ConfigFile;
import dev.proxysql.operator.topology.SecretMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The generated credentials Secrets (auth: the {@code cluster} user; monitor: the backend's {@code proxysql} user) and
 * the configuration Secret ({@code proxysql.cnf}).
 *
 * <p>Secrets outlive their ProxySQL unless the deletion policy is WipeOut: only then do they carry an owner
 * reference, so the garbage collector removes them with the ProxySQL. No finalizer is needed, and deleting a
 * ProxySQL never waits for the operator.
 */
public final class SecretFactory {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** Alphanumeric only: KubeDB's RotateAuth requires it, and it needs no escaping in proxysql.cnf. */
    static final int PASSWORD_LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFactory() {
    }

    /** A new generated credentials Secret (auth or monitor); created once and never overwritten. */
    public static Secret newCredentialsSecret(ProxySQL p, String name, String username, String password) {
        return new SecretBuilder()
                .withMetadata(metadata(p, name))
                .withType("kubernetes.io/basic-auth")
                .withStringData(Map.of("username", username, "password", password))
                .build();
    }

    /**
     * The auth Secret a user named in {@code spec.authSecret.name} that does not exist yet: created with a generated
     * password like a generated one, but without the owner reference, so that no deletion policy (WipeOut included)
     * deletes a Secret whose name the user chose; KubeDB leaves a user-named auth Secret in place too.
     */
    public static Secret newUserNamedCredentialsSecret(ProxySQL p, String name, String username, String password) {
        Secret secret = newCredentialsSecret(p, name, username, password);
        secret.getMetadata().setOwnerReferences(List.of());
        return secret;
    }

    /**
     * Only the metadata of a generated credentials Secret (labels and, for WipeOut, the owner reference), so that
     * applying it never touches the password.
     */
    public static Secret credentialsSecretMetadata(ProxySQL p, String name) {
        return new SecretBuilder().withMetadata(metadata(p, name)).build();
    }

    public static Secret configSecret(ProxySQL p, String proxysqlCnf) {
        return ConfigFile.secret(p, proxysqlCnf);
    }

    /** A strong random password. */
    public static String randomPassword() {
        StringBuilder sb = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }

    public static ObjectMeta metadata(ProxySQL p, String name) {
        return SecretMetadata.of(p, name);
    }
}
