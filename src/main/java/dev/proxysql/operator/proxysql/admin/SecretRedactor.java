package dev.proxysql.operator.proxysql.admin;

/**
 * Removes a secret from text that is about to leave the client (failure messages, logs).
 *
 * <p>The client never puts the password into a URL or message itself, and Connector/J's messages do not
 * quote it either; this is the second line of defence in case a driver or server message ever echoes it.
 */
public final class SecretRedactor {

    public static final String MASK = "<redacted>";

    private SecretRedactor() {
    }

    /**
     * {@code text} with every occurrence of {@code secret} replaced by {@link #MASK}. Short secrets are
     * masked too even though that may mangle unrelated words: a readable message is worth less than a
     * leaked password.
     */
    public static String redact(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, MASK);
    }
}
