package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.opsmanager.step.StepOutcome.ApplyTemplate;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Fail;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Finish;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Forget;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Pause;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Proceed;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Queued;
import dev.proxysql.operator.opsmanager.step.StepOutcome.RollbackFailed;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Wait;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every failure branch of the state machine's steps, on the pure decisions (the pods' own are in rolling/). */
class StepDecisionsTest {

    /** A request in {@code step} on a healthy, paused and acknowledged ProxySQL whose template is taken and observed. */
    private static View at(OpsStep step) {
        return new View(step);
    }

    @Nested
    class Queued_ {
        private final AtomicInteger validations = new AtomicInteger();

        private Supplier<Validation> validation(Validation v) {
            return () -> {
                validations.incrementAndGet();
                return v;
            };
        }

        @Test
        void aRequestDeletedWhileQueuedIsForgotten() {
            assertThat(StepDecisions.queued(at(OpsStep.QUEUED).deleting().view(), validation(Validation.run()))).isInstanceOf(Forget.class);
        }

        @Test
        void waitsBehindTheRequestAheadWithoutValidatingOrStartingItsClock() {
            StepOutcome o = StepDecisions.queued(at(OpsStep.QUEUED).blockedBy("first").view(), validation(Validation.run()));
            assertThat(o).isEqualTo(new Queued(OpsReason.WAITING_FOR_OPS_REQUEST,
                    "waiting for ProxySQLOpsRequest first on the same ProxySQL to finish", false));
            assertThat(validations).as("validated only once at the head of the queue").hasValue(0);
        }

        @Test
        void anInvalidRequestEndsWithoutChangingAnything() {
            StepOutcome o = StepDecisions.queued(at(OpsStep.QUEUED).view(), validation(Validation.reject("spec.updateVersion.targetVersion: no")));
            assertThat(o).isEqualTo(Finish.failed("spec.updateVersion.targetVersion: no; nothing was changed"));
        }

        @Test
        void nothingToDoSucceedsAtOnce() {
            assertThat(StepDecisions.queued(at(OpsStep.QUEUED).view(), validation(Validation.nothingToDo("already 2.7.1"))))
                    .isEqualTo(new Finish("already 2.7.1", null));
        }

        @Test
        void ifReadyWaitsForAReadyProxySQLWithItsClockRunningThenFails() {
            View notReady = at(OpsStep.QUEUED).phase(DatabasePhase.NOT_READY);
            assertThat(StepDecisions.queued(notReady.view(), validation(Validation.run()))).isEqualTo(new Queued(OpsReason.WAITING_FOR_DATABASE_READY,
                    "waiting for ProxySQL px to be Ready (spec.apply: IfReady); it is NotReady", true));
            StepOutcome late = StepDecisions.queued(notReady.clockStarted().timedOut().view(), validation(Validation.run()));
            assertThat(late).isInstanceOfSatisfying(Finish.class, f -> assertThat(f.failure())
                    .isEqualTo("ProxySQL px was not Ready within 2m0s (it is NotReady); with spec.apply: IfReady the request only runs on a"
                            + " Ready ProxySQL (spec.apply: Always runs it regardless); nothing was changed"));
        }

        @Test
        void alwaysRunsOnAProxySQLThatIsNotReady() {
            assertThat(StepDecisions.queued(at(OpsStep.QUEUED).phase(null).apply(ApplyOption.ALWAYS).view(), validation(Validation.run())))
                    .isInstanceOf(Proceed.class);
        }
    }

    @Test
    void anUnsupportedTypeEndsAtOnceSayingSo() {
        assertThat(StepDecisions.unsupported("spec.type: RotateAuth is not supported yet").failure())
                .isEqualTo("spec.type: RotateAuth is not supported yet; nothing was changed");
    }

    @ParameterizedTest
    @EnumSource(value = OpsStep.class, names = {"QUEUED", "DONE"}, mode = EnumSource.Mode.EXCLUDE)
    void aProxySQLDeletedMidRequestEndsItInAnyStep(OpsStep step) {
        assertThat(StepDecisions.proxysqlGone(at(step).proxysqlGone().view())).get().extracting(Finish::failure)
                .isEqualTo("ProxySQL px was deleted while the request was in step " + EnumNames.of(step)
                        + "; nothing is left to resume");
        assertThat(StepDecisions.proxysqlGone(at(step).view())).isEmpty();
    }

    @Test
    void aQueuedRequestOnAMissingProxySQLIsLeftToValidation() {
        assertThat(StepDecisions.proxysqlGone(at(OpsStep.QUEUED).proxysqlGone().view())).isEmpty();
    }

    @Nested
    class Pausing {
        @Test
        void pausesThenWaitsForTheAcknowledgement() {
            assertThat(StepDecisions.pausing(at(OpsStep.PAUSING).notPaused().view())).isInstanceOf(Pause.class);
            assertThat(StepDecisions.pausing(at(OpsStep.PAUSING).unacknowledged().view())).isInstanceOf(Wait.class);
            assertThat(StepDecisions.pausing(at(OpsStep.PAUSING).view())).isInstanceOf(Proceed.class);
        }

        @Test
        void aPauseNeverAcknowledgedFailsAndResumes() {
            assertThat(StepDecisions.pausing(at(OpsStep.PAUSING).unacknowledged().timedOut().view())).isEqualTo(new Fail(
                    "step Pausing: the provisioner did not acknowledge the pause (condition ProvisionerPaused) within 2m0s; is the"
                            + " provisioner running?", OpsStep.RESUMING));
        }

        @Test
        void aMissingStatefulSetFailsAndResumes() {
            assertThat(StepDecisions.pausing(at(OpsStep.PAUSING).noStatefulSet().view()))
                    .isEqualTo(new Fail("step Pausing: StatefulSet px does not exist", OpsStep.RESUMING));
        }
    }

    @Nested
    class UpdatingStatefulSet {
        @Test
        void appliesTheTemplateWaitsForTheControllerThenProceeds() {
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).templateNotTaken().view())).isInstanceOf(ApplyTemplate.class);
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).templateNotObserved().view())).isInstanceOf(Wait.class);
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).view())).isInstanceOf(Proceed.class);
        }

        @Test
        void aTemplateNotTakenInTimeRollsBack() {
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).templateNotTaken().timedOut().view())).isEqualTo(new Fail(
                    "step UpdatingStatefulSet: the pod template did not take proxysql=new within 2m0s", OpsStep.ROLLING_BACK_STATEFUL_SET));
        }

        @Test
        void aTemplateNotObservedInTimeRollsBackOrResumesWhenNothingToRestore() {
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).templateNotObserved().timedOut().view()))
                    .extracting(o -> ((Fail) o).next()).isEqualTo(OpsStep.ROLLING_BACK_STATEFUL_SET);
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).restartOnly().templateNotObserved().timedOut().view()))
                    .as("a Restart changes only an annotation: nothing to roll back")
                    .extracting(o -> ((Fail) o).next()).isEqualTo(OpsStep.RESUMING);
        }

        @Test
        void aCrdThatDroppedTheTargetResourcesFailsBeforeTouchingTheTemplate() {
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).targetDropped().templateNotTaken().view()))
                    .isInstanceOfSatisfying(Fail.class, f -> {
                        assertThat(f.reason()).contains("CRD installed is older than this operator").contains("status.progress.targetResources");
                        assertThat(f.next()).isEqualTo(OpsStep.RESUMING);
                    });
        }

        @Test
        void aTemplateThatCannotBeRenderedAnyMoreRollsBack() {
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).unrenderable("AppBinding gone").view()))
                    .isEqualTo(new Fail("step UpdatingStatefulSet: cannot render the new StatefulSet: AppBinding gone",
                            OpsStep.ROLLING_BACK_STATEFUL_SET));
        }

        @Test
        void aStatefulSetDeletedMidRequestResumes() {
            assertThat(StepDecisions.updatingStatefulSet(at(OpsStep.UPDATING_STATEFUL_SET).noStatefulSet().view()))
                    .isEqualTo(new Fail("step UpdatingStatefulSet: StatefulSet px does not exist", OpsStep.RESUMING));
        }
    }

    @Nested
    class ReplacingPods {
        @Test
        void aStatefulSetDeletedMidRequestResumesAndInARollbackFailsTheRollback() {
            assertThat(StepDecisions.replacingPods(at(OpsStep.REPLACING_PODS).noStatefulSet().view(), false))
                    .isEqualTo(new Fail("step ReplacingPods: StatefulSet px does not exist", OpsStep.RESUMING));
            assertThat(StepDecisions.replacingPods(at(OpsStep.ROLLING_BACK_PODS).noStatefulSet().view(), true))
                    .isEqualTo(new RollbackFailed("StatefulSet px does not exist"));
        }

        @Test
        void otherwiseTheRollingEngineDecides() {
            assertThat(StepDecisions.replacingPods(at(OpsStep.REPLACING_PODS).view(), false)).isInstanceOf(Proceed.class);
        }
    }

    @Nested
    class RollingBackStatefulSet {
        @Test
        void restoresTheTemplateWaitsThenProceeds() {
            assertThat(StepDecisions.rollingBackStatefulSet(at(OpsStep.ROLLING_BACK_STATEFUL_SET).templateNotTaken().view())).isInstanceOf(ApplyTemplate.class);
            assertThat(StepDecisions.rollingBackStatefulSet(at(OpsStep.ROLLING_BACK_STATEFUL_SET).templateNotObserved().view())).isInstanceOf(Wait.class);
            assertThat(StepDecisions.rollingBackStatefulSet(at(OpsStep.ROLLING_BACK_STATEFUL_SET).view())).isInstanceOf(Proceed.class);
        }

        @Test
        void aRollbackThatItselfFailsResumesAnyway() {
            assertThat(StepDecisions.rollingBackStatefulSet(at(OpsStep.ROLLING_BACK_STATEFUL_SET).noStatefulSet().view()))
                    .isEqualTo(new RollbackFailed("StatefulSet px does not exist"));
            assertThat(StepDecisions.rollingBackStatefulSet(at(OpsStep.ROLLING_BACK_STATEFUL_SET).unrenderable("AppBinding gone").view()))
                    .isEqualTo(new RollbackFailed("cannot render the previous StatefulSet: AppBinding gone"));
            assertThat(StepDecisions.rollingBackStatefulSet(at(OpsStep.ROLLING_BACK_STATEFUL_SET).templateNotTaken().timedOut().view()))
                    .isEqualTo(new RollbackFailed("the pod template did not take proxysql=new again within 2m0s"));
            assertThat(StepDecisions.rollingBackStatefulSet(at(OpsStep.ROLLING_BACK_STATEFUL_SET).templateNotObserved().timedOut().view()))
                    .isEqualTo(new RollbackFailed("the StatefulSet controller did not observe the previous template within 2m0s"));
        }
    }

    /** A cancel (the request deleted) at each step: before any change it resumes, after it rolls back, a rollback goes on. */
    @ParameterizedTest
    @EnumSource(OpsStep.class)
    void cancelAtEachStep(OpsStep step) {
        View deleted = at(step).deleting();
        StepOutcome o = switch (step) {
            case QUEUED -> StepDecisions.queued(deleted.view(), Validation::run);
            case PAUSING -> StepDecisions.pausing(deleted.view());
            case UPDATING_STATEFUL_SET -> StepDecisions.updatingStatefulSet(deleted.view());
            case REPLACING_PODS -> StepDecisions.replacingPods(deleted.view(), false);
            case ROLLING_BACK_STATEFUL_SET -> StepDecisions.rollingBackStatefulSet(deleted.view());
            case ROLLING_BACK_PODS -> StepDecisions.replacingPods(deleted.view(), true);
            case SCALING_MEMBERS -> StepDecisions.scalingMembers(deleted.view(), false);
            case ROLLING_BACK_MEMBERS -> StepDecisions.scalingMembers(deleted.view(), true);
            // These steps take no decision that a cancel could change: they finish what the request started.
            case UPDATING_DATABASE, RESUMING, DONE -> new Proceed();
            // Reconfigure's steps decide a cancel themselves (ReconfiguringPodsStep: before the first write resume, after it roll back).
            case RECONFIGURING_PODS, ROLLING_BACK_RECONFIGURE -> new Proceed();
            // ReconfigureTLS's rotation decides a cancel itself (RotatingCertificatesStep: it resumes).
            case ROTATING_CERTIFICATES -> new Proceed();
            // So do RotateAuth's (RotatingAuthStep: before the Secret is written resume, after it roll back).
            case ROTATING_AUTH, ROLLING_BACK_AUTH -> new Proceed();
        };
        switch (step) {
            case QUEUED -> assertThat(o).isInstanceOf(Forget.class);
            case PAUSING -> assertThat(o).isEqualTo(new Fail("cancelled: the request was deleted before any pod was touched", OpsStep.RESUMING));
            case UPDATING_STATEFUL_SET -> assertThat(o).isEqualTo(new Fail(
                    "cancelled: the request was deleted while the StatefulSet was being updated", OpsStep.ROLLING_BACK_STATEFUL_SET));
            case REPLACING_PODS -> assertThat(o).isEqualTo(new Fail(
                    "cancelled: the request was deleted while pods were being replaced", OpsStep.ROLLING_BACK_STATEFUL_SET));
            case SCALING_MEMBERS -> assertThat(o).isEqualTo(new Fail(
                    "cancelled: the request was deleted while members were being added or removed", OpsStep.ROLLING_BACK_MEMBERS));
            default -> assertThat(o).as("a cancel does not interrupt %s", step).isInstanceOf(Proceed.class);
        }
    }

    @Nested
    class RefusedWrites {
        private final Duration timeout = Duration.ofMinutes(2);

        @Test
        void areRetriedUntilTheStepTimeout() {
            assertThat(StepDecisions.refused(OpsStep.REPLACING_PODS, true, "x", Duration.ofSeconds(119), timeout)).isEmpty();
        }

        @Test
        void thenFailWhereTheStepAllows() {
            String why = "step ReplacingPods: the API server refused a write (500): no";
            assertThat(StepDecisions.refused(OpsStep.PAUSING, true, why, timeout, timeout))
                    .contains(new Fail(why + "; still refused after 2m0s", OpsStep.RESUMING));
            assertThat(StepDecisions.refused(OpsStep.REPLACING_PODS, true, why, timeout, timeout))
                    .contains(new Fail(why + "; still refused after 2m0s", OpsStep.ROLLING_BACK_STATEFUL_SET));
            assertThat(StepDecisions.refused(OpsStep.REPLACING_PODS, false, why, timeout, timeout))
                    .contains(new Fail(why + "; still refused after 2m0s", OpsStep.RESUMING));
            assertThat(StepDecisions.refused(OpsStep.ROLLING_BACK_PODS, true, why, timeout, timeout))
                    .contains(new RollbackFailed(why + "; still refused after 2m0s"));
            // A RotateAuth refused mid-way walks its pods back to the previous pair (it changes no template).
            assertThat(StepDecisions.refused(OpsStep.ROTATING_AUTH, false, why, timeout, timeout))
                    .contains(new Fail(why + "; still refused after 2m0s", OpsStep.ROLLING_BACK_AUTH));
            assertThat(StepDecisions.refused(OpsStep.ROLLING_BACK_AUTH, false, why, timeout, timeout))
                    .contains(new RollbackFailed(why + "; still refused after 2m0s"));
        }

        @Test
        void aReconfigureRollsBackWhatItMayHaveWritten() {
            String why = "step ReconfiguringPods: the API server refused a write (500): no";
            assertThat(StepDecisions.refused(OpsStep.RECONFIGURING_PODS, false, why, timeout, timeout))
                    .contains(new Fail(why + "; still refused after 2m0s", OpsStep.ROLLING_BACK_RECONFIGURE));
            assertThat(StepDecisions.refused(OpsStep.ROLLING_BACK_RECONFIGURE, false, why, timeout, timeout))
                    .contains(new RollbackFailed(why + "; still refused after 2m0s"));
        }

        @Test
        void aHorizontalScalingRollsItsMembersBack() {
            String why = "step ScalingMembers: the API server refused a write (403): no";
            // A HorizontalScaling changes no template, yet its members must be rolled back.
            assertThat(StepDecisions.refused(OpsStep.SCALING_MEMBERS, false, why, timeout, timeout))
                    .contains(new Fail(why + "; still refused after 2m0s", OpsStep.ROLLING_BACK_MEMBERS));
            assertThat(StepDecisions.refused(OpsStep.ROLLING_BACK_MEMBERS, false, why, timeout, timeout))
                    .contains(new RollbackFailed(why + "; still refused after 2m0s"));
        }

        @Test
        void aStatefulSetGoneWhileScalingEndsTheRequestOrItsRollback() {
            assertThat(StepDecisions.scalingMembers(at(OpsStep.SCALING_MEMBERS).noStatefulSet().view(), false))
                    .isEqualTo(new Fail("step ScalingMembers: StatefulSet px does not exist", OpsStep.RESUMING));
            assertThat(StepDecisions.scalingMembers(at(OpsStep.ROLLING_BACK_MEMBERS).noStatefulSet().view(), true))
                    .isEqualTo(new RollbackFailed("StatefulSet px does not exist"));
            assertThat(StepDecisions.scalingMembers(at(OpsStep.SCALING_MEMBERS).view(), false)).isInstanceOf(Proceed.class);
        }

        @ParameterizedTest
        @EnumSource(value = OpsStep.class, names = {"RESUMING", "DONE"})
        void resumingIsRetriedForEver(OpsStep step) {
            assertThat(StepDecisions.refused(step, true, "x", Duration.ofHours(5), timeout)).isEmpty();
        }

        @Test
        void withADoublingPauseUpToThirtySeconds() {
            assertThat(StepDecisions.retryPause(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
            assertThat(StepDecisions.retryPause(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(4));
            assertThat(StepDecisions.retryPause(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void theFinalMessageSaysWhatBecameOfTheRollback() {
        assertThat(StepDecisions.failureOutcome("boom", true, null, true, "2.6.5", "x"))
                .isEqualTo("boom; rolled back: every pod runs 2.6.5 again, spec.version unchanged, ProxySQL resumed");
        assertThat(StepDecisions.failureOutcome("boom", true, null, false, "2.6.5", "proxysql resources cpu=1"))
                .isEqualTo("boom; rolled back: every pod is back on proxysql resources cpu=1, the ProxySQL's spec unchanged, ProxySQL resumed");
        assertThat(StepDecisions.failureOutcome("boom", false, "StatefulSet px does not exist", true, "2.6.5", "x"))
                .isEqualTo("boom; rollback also failed: StatefulSet px does not exist; the ProxySQL was resumed anyway");
        assertThat(StepDecisions.failureOutcome("boom", false, null, true, "2.6.5", "x")).isEqualTo("boom; ProxySQL resumed");
    }

    /** A StepView builder: each method spoils one fact of the healthy default. */
    private static final class View {
        private final OpsStep step;
        private boolean deleting;
        private boolean proxysqlExists = true;
        private DatabasePhase phase = DatabasePhase.READY;
        private boolean paused = true;
        private boolean acknowledged = true;
        private boolean statefulSet = true;
        private boolean taken = true;
        private boolean observed = true;
        private boolean changesTemplate = true;
        private boolean dropped;
        private String renderProblem;
        private boolean clockStarted;
        private boolean timedOut;
        private ApplyOption apply = ApplyOption.IF_READY;
        private Optional<String> blocker = Optional.empty();

        View(OpsStep step) {
            this.step = step;
        }

        View deleting() { deleting = true; return this; }
        View proxysqlGone() { proxysqlExists = false; return this; }
        View phase(DatabasePhase p) { phase = p; return this; }
        View notPaused() { paused = false; acknowledged = false; return this; }
        View unacknowledged() { acknowledged = false; return this; }
        View noStatefulSet() { statefulSet = false; taken = false; observed = false; return this; }
        View templateNotTaken() { taken = false; return this; }
        View templateNotObserved() { observed = false; return this; }
        View restartOnly() { changesTemplate = false; return this; }
        View targetDropped() { dropped = true; return this; }
        View unrenderable(String why) { renderProblem = why; taken = false; return this; }
        View clockStarted() { clockStarted = true; return this; }
        View timedOut() { clockStarted = true; timedOut = true; return this; }
        View apply(ApplyOption a) { apply = a; return this; }
        View blockedBy(String name) { blocker = Optional.of(name); return this; }

        StepView view() {
            return new StepView(step, deleting, "px", proxysqlExists, phase, paused, acknowledged, "px", statefulSet, taken, observed,
                    "proxysql=new", changesTemplate, dropped, renderProblem, clockStarted, timedOut, "2m0s", apply, blocker);
        }
    }
}
