package dev.proxysql.operator.opsmanager.rotateauth;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.topology.ProxySQLNames;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of a RotateAuth request made before anything is touched, pure (the caller reads the Secrets), so the
 * admission webhook and the controller give the same message, naming the field:
 * <ul>
 *   <li>{@code spec.authentication.secretRef} names a Secret of the request's namespace (kind Secret, core group) that
 *       exists and has {@code username} and {@code password};</li>
 *   <li>its {@code username} is KubeDB's cluster user {@code cluster} (KubeDB allows no other: it is also
 *       {@code admin-cluster_username});</li>
 *   <li>its {@code password} is alphanumeric, 8 to 64 characters (KubeDB's rule; it also keeps the password out of the
 *       {@code ;} and {@code :} that separate pairs in {@code admin-admin_credentials}, and away from a leading {@code *},
 *       which ProxySQL takes for a hash);</li>
 *   <li>with an externally managed auth Secret ({@code spec.authSecret.externallyManaged}) the operator may not write a
 *       generated password into it: a secretRef is required;</li>
 *   <li>the new password differs from the current one (otherwise there is nothing to rotate).</li>
 * </ul>
 */
public final class RotateAuthRequest {
    static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9]{8,64}");

    private RotateAuthRequest() {
    }

    /** The Secret {@code spec.authentication.secretRef} names, or empty when the operator is to generate a password. */
    public static Optional<String> secretRefName(ProxySQLOpsRequest r) {
        var auth = r.getSpec().getAuthentication();
        TypedLocalObjectReference ref = auth == null ? null : auth.getSecretRef();
        return ref == null || ref.getName() == null || ref.getName().isBlank() ? Optional.empty() : Optional.of(ref.getName());
    }

    /**
     * Why the request cannot run, or empty if it can.
     *
     * @param newSecret   the decoded data of the secretRef Secret (null: it does not exist; ignored without secretRef)
     * @param currentPassword the password of the ProxySQL's current auth Secret (null if unknown)
     */
    public static Optional<String> problem(ProxySQLOpsRequest r, ProxySQL p, Map<String, String> newSecret, String currentPassword) {
        Optional<String> refName = secretRefName(r);
        var auth = r.getSpec().getAuthentication();
        TypedLocalObjectReference ref = auth == null ? null : auth.getSecretRef();
        if (refName.isEmpty()) {
            if (ref != null) {
                return Optional.of("spec.authentication.secretRef.name: required when secretRef is given");
            }
            var authSecret = p.getSpec().getAuthSecret();
            if (authSecret != null && Boolean.TRUE.equals(authSecret.getExternallyManaged())) {
                return Optional.of("spec.authentication.secretRef: required: the auth Secret \"" + ProxySQLNames.authSecret(p)
                        + "\" is externally managed (spec.authSecret.externallyManaged), so the operator may not generate a"
                        + " password into it");
            }
            return Optional.empty();
        }
        if (ref.getKind() != null && !ref.getKind().isEmpty() && !"Secret".equals(ref.getKind())) {
            return Optional.of("spec.authentication.secretRef.kind: must be Secret, not " + ref.getKind());
        }
        if (ref.getApiGroup() != null && !ref.getApiGroup().isEmpty()) {
            return Optional.of("spec.authentication.secretRef.apiGroup: must be empty (the core group), not " + ref.getApiGroup());
        }
        String where = "spec.authentication.secretRef.name: Secret \"" + refName.get() + "\"";
        if (newSecret == null) {
            return Optional.of(where + " does not exist in namespace " + r.getMetadata().getNamespace());
        }
        String username = newSecret.get("username");
        String password = newSecret.get("password");
        if (username == null || password == null) {
            return Optional.of(where + " must have the keys username and password");
        }
        if (!ProxySQLNames.CLUSTER_USER.equals(username)) {
            return Optional.of(where + ": username must be \"" + ProxySQLNames.CLUSTER_USER + "\" (KubeDB's ProxySQL cluster user), not \""
                    + username + "\"");
        }
        if (!PASSWORD.matcher(password).matches()) {
            return Optional.of(where + ": password must be 8 to 64 letters and digits (no other characters)");
        }
        if (password.equals(currentPassword)) {
            return Optional.of(where + ": password is the one the ProxySQL already uses; nothing to rotate");
        }
        return Optional.empty();
    }
}
