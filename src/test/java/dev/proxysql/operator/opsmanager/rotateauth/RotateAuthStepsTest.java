package dev.proxysql.operator.opsmanager.rotateauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.rotateauth.AuthSecretRotation.Pairs;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RotatingAuth's and RollingBackAuth's decisions (pure): a cancel before the Secret holds both pairs resumes (no pod was
 * written), after it walks the pods back; a rollback is never cancelled.
 */
class RotateAuthStepsTest {
    private static final Pairs PAIRS = new Pairs(new AdminCredentials("cluster", "old12345"), new AdminCredentials("cluster", "new12345"));
    private final RotatingAuthStep rotating = new RotatingAuthStep(null);
    private final RollingBackAuthStep rollingBack = new RollingBackAuthStep(null);

    private static CredentialWalk.SecretView view(boolean deleting, boolean begun) {
        return new CredentialWalk.SecretView(deleting, "px-auth", Map.of(), begun ? Optional.of(PAIRS) : Optional.empty());
    }

    @Test
    void cancelBeforeTheSecretHoldsBothPairsResumes() {
        assertThat(rotating.decide(view(true, false))).isEqualTo(new StepOutcome.Fail(
                "cancelled: the request was deleted while the credentials were being rotated", OpsStep.RESUMING));
    }

    @Test
    void cancelAfterTheSecretHoldsBothPairsRollsBack() {
        assertThat(rotating.decide(view(true, true))).isEqualTo(new StepOutcome.Fail(
                "cancelled: the request was deleted while the credentials were being rotated", OpsStep.ROLLING_BACK_AUTH));
    }

    @Test
    void otherwiseItProceeds() {
        assertThat(rotating.decide(view(false, true))).isInstanceOf(StepOutcome.Proceed.class);
    }

    @Test
    void aRollbackGoesOnWhenCancelled() {
        assertThat(rollingBack.decide(view(true, true))).isInstanceOf(StepOutcome.Proceed.class);
    }
}
