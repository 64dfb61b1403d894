package dev.proxysql.operator.catalog;

/**
 * A version string (for example a ProxySQLVersion's {@code spec.version}) could not be parsed.
 * The message always quotes the rejected text so it can be shown to a user as is.
 */
public final class InvalidVersionException extends IllegalArgumentException {

    private final String rejectedText;

    InvalidVersionException(String rejectedText, String problem) {
        super("invalid version '" + rejectedText + "': " + problem);
        this.rejectedText = rejectedText;
    }

    private InvalidVersionException(String message, InvalidVersionException cause) {
        super(message, cause);
        this.rejectedText = cause.rejectedText;
    }

    /** The same problem, with a prefix saying where the version came from. */
    InvalidVersionException withContext(String context) {
        return new InvalidVersionException(context + ": " + getMessage(), this);
    }

    /** The text that was passed to the parser, unchanged. */
    public String rejectedText() {
        return rejectedText;
    }
}
