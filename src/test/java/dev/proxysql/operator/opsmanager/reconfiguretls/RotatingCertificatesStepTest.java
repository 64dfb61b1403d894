package dev.proxysql.operator.opsmanager.reconfiguretls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import org.junit.jupiter.api.Test;

/** RotatingCertificates' decision (pure): a cancel resumes (a rotation is not rolled back), else it proceeds. */
class RotatingCertificatesStepTest {
    private final RotatingCertificatesStep step = new RotatingCertificatesStep(null);

    @Test
    void cancelResumes() {
        assertThat(step.decide(new RotatingCertificatesStep.View(true))).isEqualTo(new StepOutcome.Fail(
                "cancelled: the request was deleted while the certificates were being rotated", OpsStep.RESUMING));
    }

    @Test
    void otherwiseItProceeds() {
        assertThat(step.decide(new RotatingCertificatesStep.View(false))).isInstanceOf(StepOutcome.Proceed.class);
    }
}
