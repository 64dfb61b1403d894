package dev.proxysql.operator.opsmanager.rotateauth;

import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a RotateAuth writes into the auth Secrets, with KubeDB's keys, pure (the caller applies each map as a
 * {@code stringData} merge patch; a null value removes the key):
 * <ul>
 *   <li><b>before any ProxySQL is touched</b> ({@link #begin}): the Secret that will hold the new pair gets the previous
 *       pair under {@code username.prev} / {@code password.prev}; without a secretRef that is the current auth Secret,
 *       whose {@code password} becomes the generated one in the same write. From then on the Secret alone says which
 *       pair is old and which new ({@link #inProgress}), so an operator restarted at any point rotates to the same
 *       password and never generates a second one;</li>
 *   <li><b>when every node has the new pair</b> ({@link #finish}): the {@code .prev} keys are removed (and
 *       {@code spec.authSecret.name} set to the secretRef's Secret by the caller);</li>
 *   <li><b>after a rollback</b> ({@link #restore}): the Secret that was written goes back to what it was: the old
 *       password back in place for a generated one, the {@code .prev} keys removed.</li>
 * </ul>
 */
public final class AuthSecretRotation {
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String USERNAME_PREV = "username.prev";
    public static final String PASSWORD_PREV = "password.prev";

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AuthSecretRotation() {
    }

    /** A new password for a rotation without secretRef: 24 letters and digits, as the provisioner generates them. */
    public static String generatePassword() {
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }

    /** The old and the new pair of a rotation under way. */
    public record Pairs(AdminCredentials previous, AdminCredentials next) {
    }

    /**
     * The patch that starts a rotation on the Secret holding the new pair ({@code generated}: the current auth Secret,
     * getting {@code generatedPassword}; otherwise the secretRef's Secret, whose own pair is kept).
     */
    public static Map<String, String> begin(AdminCredentials previous, boolean generated, String generatedPassword) {
        Map<String, String> patch = new LinkedHashMap<>();
        patch.put(USERNAME_PREV, previous.username());
        patch.put(PASSWORD_PREV, previous.password());
        if (generated) {
            patch.put(PASSWORD, generatedPassword);
        }
        return patch;
    }

    /** The rotation recorded in a Secret's decoded data by {@link #begin}, if any. */
    public static Optional<Pairs> inProgress(Map<String, String> data) {
        if (data == null || data.get(USERNAME_PREV) == null || data.get(PASSWORD_PREV) == null
                || data.get(USERNAME) == null || data.get(PASSWORD) == null) {
            return Optional.empty();
        }
        return Optional.of(new Pairs(new AdminCredentials(data.get(USERNAME_PREV), data.get(PASSWORD_PREV)),
                new AdminCredentials(data.get(USERNAME), data.get(PASSWORD))));
    }

    /** The patch that ends a rotation that succeeded: the previous pair is no longer needed. */
    public static Map<String, String> finish() {
        Map<String, String> patch = new LinkedHashMap<>();
        patch.put(USERNAME_PREV, null);
        patch.put(PASSWORD_PREV, null);
        return patch;
    }

    /** The patch that undoes {@link #begin} after a rollback put the previous pair back on every node. */
    public static Map<String, String> restore(Pairs pairs, boolean generated) {
        Map<String, String> patch = finish();
        if (generated) {
            patch.put(USERNAME, pairs.previous().username());
            patch.put(PASSWORD, pairs.previous().password());
        }
        return patch;
    }
}
