package dev.proxysql.operator.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The processes the test fixtures start on this machine (ProxySQL, MariaDB, the cert-manager controller): killed if the
 * JVM exits without stopping them (Surefire's fork killed), and stopped with a deadline.
 */
public final class LocalProcesses {
    private LocalProcesses() {
    }

    /** Registers a shutdown hook that kills {@code process} if the JVM exits first; pass it to {@link #awaitExit}. */
    public static Thread killOnJvmExit(Process process, String name) {
        Thread hook = new Thread(process::destroyForcibly, name + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Waits up to {@code deadline} for {@code process}, already signalled, to exit, then kills it (waiting as long
     * again); then removes its shutdown hook, if any.
     */
    public static void awaitExit(Process process, Duration deadline, Thread killOnJvmExit) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (killOnJvmExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnJvmExit);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
