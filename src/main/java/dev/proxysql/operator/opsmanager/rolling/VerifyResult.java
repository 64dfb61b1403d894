package dev.proxysql.operator.opsmanager.rolling;

/** Outcome of the ProxySQL-level check on a replacement. {@code message} says what failed (or what passed). */
public record VerifyResult(boolean passed, String message) {

    public static VerifyResult passed(String message) {
        return new VerifyResult(true, message);
    }

    public static VerifyResult failed(String message) {
        return new VerifyResult(false, message);
    }
}
