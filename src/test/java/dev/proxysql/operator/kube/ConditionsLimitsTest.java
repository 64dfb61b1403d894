package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every condition either controller writes ({@link Conditions#next}) is within the CRDs' lengths: a longer message or
 * reason (an API server's message quoted, a Reconfigure naming 128 variables) would have the whole status refused.
 */
class ConditionsLimitsTest {

    @Test
    void aConditionsMessageAndReasonAreCutToTheirMaximum() {
        Condition c = Conditions.next(Optional.empty(), "DatabaseDependencyReady", false, "R".repeat(Condition.MAX_REASON + 1),
                "m".repeat(140_000), 1, Clock.systemUTC());
        assertThat(c.getMessage()).hasSize(Condition.MAX_MESSAGE).endsWith(Conditions.CUT);
        assertThat(c.getReason()).hasSize(Condition.MAX_REASON).endsWith(Conditions.CUT);
    }

    @Test
    void aConditionAtTheMaximumIsKeptWhole() {
        String message = "m".repeat(Condition.MAX_MESSAGE);
        String reason = "R".repeat(Condition.MAX_REASON);
        Condition c = Conditions.next(Optional.empty(), "Ready", true, reason, message, 1, Clock.systemUTC());
        assertThat(c.getMessage()).isEqualTo(message);
        assertThat(c.getReason()).isEqualTo(reason);
    }
}
