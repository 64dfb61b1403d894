package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Events within the API's bounds at the largest messages and names the operator can produce. */
class EventRecorderLimitsTest {

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aMessageOverTheNoteLimitIsCutToItsBytesWithoutSplittingACharacter() {
        // A Reconfigure of 2 x 64 variables of 1024 characters names them all in its per-pod Event.
        String ascii = "Reconfigured pod ns/px-0: set variables {" + "v".repeat(140_000) + "}";
        assertThat(bytes(EventRecorder.fit(ascii))).isLessThanOrEqualTo(EventRecorder.MAX_MESSAGE_BYTES);
        assertThat(EventRecorder.fit(ascii)).startsWith("Reconfigured pod ns/px-0").endsWith(EventRecorder.CUT);

        String wide = "é€\uD83D\uDE00".repeat(400);
        String cut = EventRecorder.fit(wide);
        assertThat(bytes(cut)).isLessThanOrEqualTo(EventRecorder.MAX_MESSAGE_BYTES).isGreaterThan(EventRecorder.MAX_MESSAGE_BYTES - 8);
        assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).as("valid UTF-8 both ways").isEqualTo(cut);
        assertThat(cut.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2).as("no half of a surrogate pair").isZero();
    }

    @Test
    void aMessageWithinTheLimitIsKeptWhole() {
        String exact = "x".repeat(EventRecorder.MAX_MESSAGE_BYTES);
        assertThat(EventRecorder.fit(exact)).isSameAs(exact);
        assertThat(EventRecorder.fit(null)).isNull();
    }

    @Test
    void anEventOfAnObjectWithTheLongestNameHasAValidName() {
        String longest = "r".repeat(253);
        String name = EventRecorder.eventName(longest);
        assertThat(name).hasSize(EventRecorder.MAX_NAME).matches("r{244}\\.[0-9a-f]{8}");
        assertThat(EventRecorder.eventName("px")).matches("px\\.[0-9a-f]{8}");
    }
}
