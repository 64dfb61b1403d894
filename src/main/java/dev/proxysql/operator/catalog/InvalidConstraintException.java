package dev.proxysql.operator.catalog;

/**
 * A version constraint string (for example an entry of a ProxySQLVersion's
 * {@code spec.updateConstraints.allowlist}) could not be parsed. The message always quotes the
 * whole rejected constraint and says which part of it is wrong.
 */
public final class InvalidConstraintException extends IllegalArgumentException {

    private final String rejectedText;
    private final String problem;

    InvalidConstraintException(String rejectedText, String problem) {
        super("invalid version constraint '" + rejectedText + "': " + problem);
        this.rejectedText = rejectedText;
        this.problem = problem;
    }

    private InvalidConstraintException(String message, InvalidConstraintException cause) {
        super(message, cause);
        this.rejectedText = cause.rejectedText;
        this.problem = cause.problem;
    }

    /** The same problem, with a prefix saying where the constraint came from. */
    InvalidConstraintException withContext(String context) {
        return new InvalidConstraintException(context + ": " + getMessage(), this);
    }

    /** What is wrong, without the quoted constraint. */
    String problem() {
        return problem;
    }

    /** The constraint text that was passed to the parser, unchanged. */
    public String rejectedText() {
        return rejectedText;
    }
}
