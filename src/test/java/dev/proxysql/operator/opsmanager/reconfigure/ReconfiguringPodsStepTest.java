package dev.proxysql.operator.opsmanager.reconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import org.junit.jupiter.api.Test;

/** ReconfiguringPods' decision (pure): a cancel resumes before the first write and rolls back after it. */
class ReconfiguringPodsStepTest {
    private final ReconfiguringPodsStep step = new ReconfiguringPodsStep(null);

    @Test
    void cancelBeforeAnythingWasRecordedResumes() {
        assertThat(step.decide(new ReconfiguringPodsStep.View(true, false))).isEqualTo(new StepOutcome.Fail(
                "cancelled: the request was deleted while pods were being reconfigured", OpsStep.RESUMING));
    }

    @Test
    void cancelAfterThePreviousValuesWereRecordedRollsBack() {
        assertThat(step.decide(new ReconfiguringPodsStep.View(true, true))).isEqualTo(new StepOutcome.Fail(
                "cancelled: the request was deleted while pods were being reconfigured", OpsStep.ROLLING_BACK_RECONFIGURE));
    }

    @Test
    void otherwiseItProceeds() {
        assertThat(step.decide(new ReconfiguringPodsStep.View(false, true))).isInstanceOf(StepOutcome.Proceed.class);
        assertThat(step.decide(new ReconfiguringPodsStep.View(false, false))).isInstanceOf(StepOutcome.Proceed.class);
    }
}
