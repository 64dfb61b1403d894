package dev.proxysql.operator.opsmanager.rolling;

/**
 * Outcome of the ProxySQL-level check on a replacement. {@code message} says what failed, what passed, or what the
 * check is still waiting for.
 *
 * <p>A pending result is not a failure: a pod that has just become Ready may not have loaded its peers or heard from
 * its backend yet. The engine asks again until the step timeout, and only then treats it as a failed check.
 */
public record VerifyResult(Verdict verdict, String message) {

    public enum Verdict {
        PASSED,
        /** Not conclusive yet (still starting, still converging): ask again within the step timeout. */
        PENDING,
        FAILED
    }

    public static VerifyResult passed(String message) {
        return new VerifyResult(Verdict.PASSED, message);
    }

    public static VerifyResult pending(String message) {
        return new VerifyResult(Verdict.PENDING, message);
    }

    public static VerifyResult failed(String message) {
        return new VerifyResult(Verdict.FAILED, message);
    }

    public boolean passed() {
        return verdict == Verdict.PASSED;
    }

    public boolean pending() {
        return verdict == Verdict.PENDING;
    }
}
