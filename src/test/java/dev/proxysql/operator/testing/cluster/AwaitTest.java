package dev.proxysql.operator.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  void returnsTheFirstValueThatSatisfiesTheCondition() {
    AtomicInteger calls = new AtomicInteger();
    int value = Await.until(Duration.ofSeconds(5), "the counter to reach 3", calls::incrementAndGet, v -> v >= 3);
    assertThat(value).isEqualTo(3);
  }

  @Test
  void failsAfterTheTimeoutSayingWhatWasExpectedAndWhatWasSeen() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(300), "the answer to be 42", () -> 41, v -> v == 42))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Timed out after PT0.3S waiting for the answer to be 42")
        .hasMessageContaining("last observed: 41");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
  }

  @Test
  void treatsProbeExceptionsAsNotYetAndReportsTheLastOne() {
    AtomicInteger calls = new AtomicInteger();
    String value = Await.until(Duration.ofSeconds(5), "a value", () -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("not there yet");
      }
      return "there";
    }, v -> true);
    assertThat(value).isEqualTo("there");

    assertThatThrownBy(() -> Await.present(Duration.ofMillis(200), "something", () -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(AssertionError.class)
        .hasMessageContaining("the probe failed: java.lang.IllegalStateException: boom")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void holdsFailsAsSoonAsTheInvariantBreaks() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> Await.holds(Duration.ofSeconds(10), "calls to stay below 3",
        () -> calls.incrementAndGet() < 3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("calls to stay below 3");
    assertThat(calls.get()).isEqualTo(3);
    Await.holds(Duration.ofMillis(300), "true to stay true", () -> true);
  }
}
