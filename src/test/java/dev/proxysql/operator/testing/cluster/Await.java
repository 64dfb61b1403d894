package dev.proxysql.operator.testing.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting on real cluster state: polls a probe until it satisfies a condition or a deadline passes, then
 * fails with what was expected and what was last seen. This is the only place in the test code that sleeps.
 *
 * <p>An exception thrown by the probe counts as "not yet" (a resource may not exist yet); the last one is
 * attached to the failure.
 *
 * <pre>{@code
 * Pod pod = Await.until(Duration.ofSeconds(30), "pod web-0 to be Ready",
 *     () -> client.pods().withName("web-0").get(), p -> p != null && Pods.isReady(p));
 * }</pre>
 */
public final class Await {

  private static final Duration FIRST_POLL = Duration.ofMillis(50);
  // Short enough that a wait ends soon after its condition holds (the sweeps wait thousands of times), long enough not
  // to load the API server: a GET of one object every 250 ms.
  private static final Duration MAX_POLL = Duration.ofMillis(250);

  private Await() {
  }

  /** Waits until {@code condition} is true. */
  public static void until(Duration timeout, String expectation, BooleanSupplier condition) {
    until(timeout, expectation, condition::getAsBoolean, Boolean.TRUE::equals);
  }

  /**
   * Waits until the value returned by {@code probe} satisfies {@code accept} and returns that value.
   * The last value seen is described in the failure message.
   */
  public static <T> T until(Duration timeout, String expectation, Supplier<T> probe, Predicate<? super T> accept) {
    Objects.requireNonNull(expectation, "expectation");
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = FIRST_POLL;
    T last = null;
    RuntimeException lastError = null;
    while (true) {
      try {
        last = probe.get();
        lastError = null;
        if (accept.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        String seen = lastError != null ? "the probe failed: " + lastError : "last observed: " + last;
        throw new AssertionError("Timed out after " + timeout + " waiting for " + expectation + "; " + seen, lastError);
      }
      sleep(min(pause, Duration.ofNanos(deadline - System.nanoTime())));
      pause = min(pause.multipliedBy(2), MAX_POLL);
    }
  }

  /** Waits until {@code probe} returns a non-null value and returns it. */
  public static <T> T present(Duration timeout, String expectation, Supplier<T> probe) {
    return until(timeout, expectation, probe, Objects::nonNull);
  }

  /**
   * Checks that {@code invariant} stays true during the whole {@code period} (polling), failing as soon as it
   * does not. For "X never happens" assertions, after waiting for something that proves X had its chance.
   */
  public static void holds(Duration period, String invariant, BooleanSupplier condition) {
    long start = System.nanoTime();
    long end = start + period.toNanos();
    while (true) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("Expected " + invariant + " for " + period + ", but that stopped after "
            + Duration.ofNanos(System.nanoTime() - start).toMillis() + "ms");
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      sleep(min(Duration.ofMillis(200), Duration.ofNanos(left)));
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
