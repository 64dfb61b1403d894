package dev.proxysql.operator.opsmanager.rolling;

import static dev.proxysql.operator.opsmanager.rolling.Fixtures.OLD_REV;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.T0;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.TARGET;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.THREE;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.TIMEOUT;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.evicting;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.fresh;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.list;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.old;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.pods;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.pp;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.snap;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.terminating;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.verifying;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RollingReplacementTest {
    private static final Instant T1 = T0.plus(Duration.ofMinutes(1));
    private static final Instant AT_TIMEOUT = T0.plus(TIMEOUT);
    private static final Map<String, ObservedPod> ALL_OLD_READY = pods(old(0, true), old(1, true), old(2, true));

    private static Decision next(List<PodProgress> progress, Map<String, ObservedPod> pods, Instant now) {
        return RollingReplacement.next(progress, pods, TARGET, THREE, now);
    }

    private static PodProgress entry(Decision d, String name) {
        return d.progress().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow();
    }

    @Nested
    class OnePodAtATime {
        @Test
        void anEmptyListIsComplete() {
            assertThat(next(list(), ALL_OLD_READY, T0).action()).isEqualTo(new Action.Complete());
            assertThat(RollingReplacement.next(null, null, null, null, null).action()).isEqualTo(new Action.Complete());
        }

        @Test
        void evictsTheFirstPendingPodInListOrderAndRecordsItsUidFirst() {
            Decision d = next(list(pp("px-1", PodState.PENDING), pp("px-0", PodState.PENDING)), ALL_OLD_READY, T0);
            assertThat(d.action()).isEqualTo(new Action.Evict("px-1", "old-1",
                    "image ghcr.io/kubedb/proxysql:2.6.3-debian -> ghcr.io/kubedb/proxysql:2.7.3-debian"));
            PodProgress px1 = entry(d, "px-1");
            assertThat(px1.getState()).isEqualTo("Evicting");
            assertThat(px1.getEvictedUid()).isEqualTo("old-1");
            assertThat(px1.getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(entry(d, "px-0").getState()).isEqualTo("Pending");
        }

        @Test
        void theInFlightPodIsWorkedOnEvenWhenItIsNotFirst() {
            // A Pending pod before it (an edited list) must not start a second replacement.
            Decision d = next(list(pp("px-0", PodState.PENDING), evicting("px-1", "old-1", T0)),
                    pods(old(0, true), terminating(old(1, true)), old(2, true)), T1);
            assertThat(d.action()).isInstanceOf(Action.Wait.class);
            assertThat(((Action.Wait) d.action()).pod()).isEqualTo("px-1");
            assertThat(entry(d, "px-0").getState()).isEqualTo("Pending");
        }

        @Test
        void doneEntriesAreSkippedAndAllDoneIsComplete() {
            Decision d = next(list(pp("px-0", PodState.DONE), pp("px-1", PodState.DONE)), ALL_OLD_READY, T0);
            assertThat(d.action()).isEqualTo(new Action.Complete());
        }

        @Test
        void theInputListIsNeverModified() {
            List<PodProgress> input = list(pp("px-0", PodState.PENDING));
            next(input, ALL_OLD_READY, T0);
            assertThat(input.get(0).getState()).isEqualTo("Pending");
            assertThat(input.get(0).getEvictedUid()).isNull();
        }
    }

    @Nested
    class AlreadyOnTarget {
        @Test
        void aReadyPodOnTargetIsDoneWithoutEvictionAndTheNextPodIsTakenInTheSameCall() {
            Decision d = next(list(pp("px-0", PodState.PENDING), pp("px-1", PodState.PENDING)),
                    pods(fresh(0, "someone-else", true), old(1, true), old(2, true)), T0);
            assertThat(entry(d, "px-0").getState()).isEqualTo("Done");
            assertThat(entry(d, "px-0").getReason()).endsWith("; already on target");
            assertThat(d.action()).isEqualTo(new Action.Evict("px-1", "old-1", entry(d, "px-1").getReason()));
        }

        @Test
        void everyPodOnTargetIsComplete() {
            Decision d = next(list(pp("px-0", PodState.PENDING), pp("px-1", PodState.PENDING)),
                    pods(fresh(0, "a", true), fresh(1, "b", true), fresh(2, "c", true)), T0);
            assertThat(d.action()).isEqualTo(new Action.Complete());
            assertThat(d.progress()).extracting(PodProgress::getState).containsOnly("Done");
        }

        @Test
        void aPodOnTargetThatIsNotReadyIsWaitedForThenReplacedThenGivenUpOn() {
            Map<String, ObservedPod> pods = pods(fresh(0, "a", false), old(1, true), old(2, true));
            Decision waiting = next(list(pp("px-0", PodState.PENDING)), pods, T0);
            assertThat(waiting.action()).isInstanceOf(Action.Wait.class);
            assertThat(((Action.Wait) waiting.action()).expectation())
                    .isEqualTo("pod px-0: the pod is on revision px-7c9 but not Ready; waiting for it to become Ready (5m0s left)");

            Decision retry = next(waiting.progress(), pods, AT_TIMEOUT);
            assertThat(retry.action()).isEqualTo(new Action.Evict("px-0", "a", "retry 1/1: not Ready on revision px-7c9 within 5m0s"));

            Decision fail = RollingReplacement.next(waiting.progress(), pods, TARGET, new RollSettings(3, TIMEOUT, 0), AT_TIMEOUT);
            assertThat(fail.action()).isEqualTo(new Action.Fail("px-0",
                    "pod px-0 did not become Ready on revision px-7c9 within 5m0s after 1 attempt"));
        }
    }

    @Nested
    class NeverTwoDown {
        @Test
        void aReadyPodWaitsWhileAnotherIsNotReadyThenFailsAtTheTimeout() {
            Map<String, ObservedPod> pods = pods(old(0, true), old(1, true), old(2, false));
            Decision waiting = next(list(pp("px-0", PodState.PENDING)), pods, T0);
            assertThat(waiting.action()).isEqualTo(new Action.Wait("px-0", "pod px-0: the pod is Ready and is taken down only"
                    + " while every other pod is Ready; waiting for px-2 (not Ready) (5m0s left)"));
            assertThat(entry(waiting, "px-0").getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(entry(waiting, "px-0").getState()).isEqualTo("Pending");

            Decision later = next(waiting.progress(), pods, T0.plus(Duration.ofSeconds(170)));
            assertThat(((Action.Wait) later.action()).expectation()).endsWith("(2m10s left)");

            Decision fail = next(waiting.progress(), pods, AT_TIMEOUT);
            assertThat(fail.action()).isEqualTo(new Action.Fail("px-0", "pod px-0 could not be taken down within 5m0s"
                    + " because other pods were not Ready: px-2 (not Ready) (a Ready pod is never taken down while another is not)"));
        }

        @Test
        void aMissingOrTerminatingMemberAlsoBlocks() {
            Decision d = next(list(pp("px-0", PodState.PENDING)), pods(old(0, true), terminating(old(1, true))), T0);
            assertThat(((Action.Wait) d.action()).expectation()).contains("px-1 (terminating), px-2 (missing)");
        }

        @Test
        void podsBeyondTheReplicaCountDoNotBlock() {
            Map<String, ObservedPod> pods = pods(old(0, true), old(1, true), old(2, true), old(3, false));
            assertThat(next(list(pp("px-0", PodState.PENDING)), pods, T0).action()).isInstanceOf(Action.Evict.class);
        }

        @Test
        void aPodThatIsNotReadyIsEvictedEvenWhileOthersAreNotReady() {
            Map<String, ObservedPod> pods = pods(old(0, false), old(1, false), old(2, true));
            assertThat(next(list(pp("px-0", PodState.PENDING)), pods, T0).action())
                    .isEqualTo(new Action.Evict("px-0", "old-0", pp("px-0", PodState.PENDING).getReason()));
        }

        @Test
        void theOnlyPodOfASingleReplicaSetIsTakenDownWhileReady() {
            Decision d = RollingReplacement.next(list(pp("px-0", PodState.PENDING)), pods(old(0, true)), TARGET,
                    new RollSettings(1, TIMEOUT, 1), T0);
            assertThat(d.action()).isInstanceOf(Action.Evict.class);
        }

        @Test
        void evictingAgainIsAlsoHeldBackWhenAnotherPodWentNotReady() {
            // Evicting was persisted, the operator died before the eviction, and px-2 broke meanwhile.
            Decision d = next(list(evicting("px-0", "old-0", T0)), pods(old(0, true), old(1, true), old(2, false)), T1);
            assertThat(d.action()).isInstanceOf(Action.Wait.class);
            assertThat(((Action.Wait) d.action()).expectation()).contains("px-2 (not Ready)").endsWith("(4m0s left)");
        }
    }

    @Nested
    class Evicting {
        @Test
        void theSameUidStillThereIsEvictedAgainThenFailsAtTheTimeout() {
            List<PodProgress> progress = list(evicting("px-0", "old-0", T0));
            Decision again = next(progress, ALL_OLD_READY, T1);
            assertThat(again.action()).isEqualTo(new Action.Evict("px-0", "old-0", progress.get(0).getReason()));
            assertThat(snap(again.progress())).isEqualTo(snap(progress));

            Decision fail = next(progress, ALL_OLD_READY, AT_TIMEOUT);
            assertThat(fail.action()).isEqualTo(new Action.Fail("px-0", "pod px-0 (UID old-0) was not evicted within 5m0s:"
                    + " the Eviction API kept refusing it (a PodDisruptionBudget that allows no disruption answers 429)"));
            assertThat(snap(fail.progress())).isEqualTo(snap(progress));
        }

        @Test
        void anOperatorRestartedAfterTheTimeoutGivesThePodAFullTimeoutAgain() {
            List<PodProgress> progress = list(evicting("px-0", "old-0", T0));
            RollSettings restartedAtTimeout = new RollSettings(THREE.replicas(), THREE.stepTimeout(), THREE.maxRetries(), AT_TIMEOUT);
            Decision again = RollingReplacement.next(progress, ALL_OLD_READY, TARGET, restartedAtTimeout, AT_TIMEOUT.plusSeconds(1));
            assertThat(again.action()).as("the eviction the dead operator never made is made now, not failed")
                    .isEqualTo(new Action.Evict("px-0", "old-0", progress.get(0).getReason()));
            Decision later = RollingReplacement.next(progress, ALL_OLD_READY, TARGET, restartedAtTimeout, AT_TIMEOUT.plus(TIMEOUT));
            assertThat(later.action()).as("a full timeout after the restart").isInstanceOf(Action.Fail.class);
        }

        @Test
        void aTerminatingPodIsWaitedForThenGivenUpOn() {
            Map<String, ObservedPod> pods = pods(terminating(old(0, true)), old(1, true), old(2, true));
            Decision d = next(list(evicting("px-0", "old-0", T0)), pods, T1);
            assertThat(d.action()).isEqualTo(new Action.Wait("px-0", "pod px-0: waiting for UID old-0 to finish terminating (4m0s left)"));
            assertThat(next(list(evicting("px-0", "old-0", T0)), pods, AT_TIMEOUT).action())
                    .isEqualTo(new Action.Fail("px-0", "pod px-0 (UID old-0) was still terminating after 5m0s"));
        }

        @Test
        void aMissingPodIsWaitedForThenGivenUpOn() {
            Map<String, ObservedPod> pods = pods(old(1, true), old(2, true));
            assertThat(next(list(evicting("px-0", "old-0", T0)), pods, T1).action()).isEqualTo(new Action.Wait("px-0",
                    "pod px-0: UID old-0 is gone; waiting for the StatefulSet to create the replacement (4m0s left)"));
            assertThat(next(list(evicting("px-0", "old-0", T0)), pods, AT_TIMEOUT).action()).isEqualTo(new Action.Fail("px-0",
                    "pod px-0 was not recreated within 5m0s after UID old-0 was evicted" + RollingReplacement.NOT_CREATED_HINT));
        }

        @Test
        void aReadyReplacementOnTargetIsVerifiedWithItsOwnUidAndAFreshClock() {
            Decision d = next(list(evicting("px-0", "old-0", T0)), pods(fresh(0, "new-0", true), old(1, true), old(2, true)), T1);
            assertThat(d.action()).isEqualTo(new Action.Verify("px-0", "new-0"));
            assertThat(entry(d, "px-0").getState()).isEqualTo("Verifying");
            assertThat(entry(d, "px-0").getEvictedUid()).isEqualTo("old-0");
            assertThat(entry(d, "px-0").getStartedAt()).isEqualTo("2026-01-01T00:01:00Z");
        }

        @Test
        void aReplacementFromTheWrongRevisionFailsNamingBothRevisions() {
            ObservedPod stale = new ObservedPod("px-0", 0, "new-0", false, true, OLD_REV, old(0, true).images());
            Decision d = next(list(evicting("px-0", "old-0", T0)), pods(stale, old(1, true), old(2, true)), T1);
            assertThat(d.action()).isEqualTo(new Action.Fail("px-0", "pod px-0 was recreated (UID new-0) from revision px-5d8,"
                    + " not from revision px-7c9 and with image ghcr.io/kubedb/proxysql:2.6.3-debian instead of"
                    + " ghcr.io/kubedb/proxysql:2.7.3-debian: the StatefulSet controller did not apply the new template"));
            // Not Ready yet changes nothing: a pod never changes its revision, waiting would only waste the timeout.
            ObservedPod staleStarting = new ObservedPod("px-0", 0, "new-0", false, false, OLD_REV, old(0, true).images());
            assertThat(next(list(evicting("px-0", "old-0", T0)), pods(staleStarting), T1).action()).isInstanceOf(Action.Fail.class);
        }

        @Test
        void aReplacementThatIsNotReadyIsWaitedForWithTheTimeLeft() {
            Decision d = next(list(evicting("px-1", "abc", T0)), pods(old(0, true), fresh(1, "def", false), old(2, true)),
                    T0.plus(Duration.ofSeconds(170)));
            assertThat(d.action()).isEqualTo(new Action.Wait("px-1",
                    "pod px-1: waiting for the replacement of UID abc to become Ready (2m10s left)"));
        }

        @Test
        void aReplacementNotReadyInTimeIsEvictedByItsOwnUidWhileRetriesLast() {
            Map<String, ObservedPod> pods = pods(old(0, true), fresh(1, "def", false), old(2, true));
            Decision retry = next(list(evicting("px-1", "abc", T0)), pods, AT_TIMEOUT);
            assertThat(retry.action()).isEqualTo(new Action.Evict("px-1", "def", "retry 1/1: not Ready on revision px-7c9 within 5m0s"));
            PodProgress px1 = entry(retry, "px-1");
            assertThat(px1.getState()).isEqualTo("Evicting");
            assertThat(px1.getEvictedUid()).isEqualTo("def");
            assertThat(px1.getRetries()).isEqualTo(1);
            assertThat(px1.getStartedAt()).isEqualTo("2026-01-01T00:05:00Z");

            Decision fail = next(retry.progress(), pods(old(0, true), fresh(1, "ghi", false), old(2, true)), AT_TIMEOUT.plus(TIMEOUT));
            assertThat(fail.action()).isEqualTo(new Action.Fail("px-1",
                    "pod px-1 did not become Ready on revision px-7c9 within 5m0s after 2 attempts"));
        }

        @Test
        void anEvictingEntryWithoutUidStartsThePodOver() {
            PodProgress broken = pp("px-0", PodState.EVICTING);
            Decision d = next(list(broken), ALL_OLD_READY, T0);
            assertThat(d.action()).isEqualTo(new Action.Evict("px-0", "old-0", broken.getReason()));
            assertThat(entry(d, "px-0").getEvictedUid()).isEqualTo("old-0");
        }
    }

    @Nested
    class Verifying {
        private static final String NO_PASS = "the check did not pass within 5m0s (the pod's CheckPodReady condition has the last answer)";
        private final Map<String, ObservedPod> replaced = pods(fresh(0, "new-0", true), old(1, true), old(2, true));

        @Test
        void isAskedAgainUnchangedUntilAResultArrives() {
            List<PodProgress> progress = list(verifying("px-0", "old-0", T0), pp("px-1", PodState.PENDING));
            Decision d = next(progress, replaced, T1);
            assertThat(d.action()).isEqualTo(new Action.Verify("px-0", "new-0"));
            assertThat(snap(d.progress())).isEqualTo(snap(progress));
        }

        @Test
        void aPassedCheckMarksThePodDoneAndNamesTheNextOne() {
            List<PodProgress> progress = list(verifying("px-0", "old-0", T0), pp("px-1", PodState.PENDING));
            Decision d = RollingReplacement.verified(progress, new Action.Verify("px-0", "new-0"), VerifyResult.passed("ok"), THREE, T1);
            assertThat(entry(d, "px-0").getState()).isEqualTo("Done");
            assertThat(d.action()).isEqualTo(new Action.Wait("px-1", "pod px-0 passed its check; next: pod px-1"));

            Decision last = RollingReplacement.verified(list(verifying("px-0", "old-0", T0)), new Action.Verify("px-0", "new-0"),
                    VerifyResult.passed("ok"), THREE, T1);
            assertThat(last.action()).isEqualTo(new Action.Complete());
        }

        @Test
        void aFailedCheckRecordsARetryOfTheCheckedUidAndNextEvictsIt() {
            Decision d = RollingReplacement.verified(list(verifying("px-0", "old-0", T0)), new Action.Verify("px-0", "new-0"),
                    VerifyResult.failed("admin port 6032 refused the connection"), THREE, T1);
            PodProgress px0 = entry(d, "px-0");
            assertThat(px0.getState()).isEqualTo("Evicting");
            assertThat(px0.getEvictedUid()).isEqualTo("new-0");
            assertThat(px0.getRetries()).isEqualTo(1);
            assertThat(px0.getStartedAt()).isEqualTo("2026-01-01T00:01:00Z");
            assertThat(px0.getReason()).isEqualTo("retry 1/1: ProxySQL check failed: admin port 6032 refused the connection");
            assertThat(d.action()).isInstanceOf(Action.Wait.class);

            assertThat(next(d.progress(), replaced, T1).action())
                    .isEqualTo(new Action.Evict("px-0", "new-0", px0.getReason()));
        }

        @Test
        void aFailedCheckWithoutRetriesLeftFailsWithTheCheckMessage() {
            PodProgress retried = verifying("px-0", "old-0", T0);
            retried.setRetries(1);
            Decision d = RollingReplacement.verified(list(retried), new Action.Verify("px-0", "new-0"),
                    VerifyResult.failed("SELECT @@version returned 2.6.3"), THREE, T1);
            assertThat(d.action()).isEqualTo(new Action.Fail("px-0",
                    "pod px-0 failed the ProxySQL check after 2 attempts: SELECT @@version returned 2.6.3"));
        }

        @Test
        void aPendingCheckKeepsThePodVerifyingAndIsAskedAgain() {
            List<PodProgress> progress = list(verifying("px-0", "old-0", T0), pp("px-1", PodState.PENDING));
            Decision d = RollingReplacement.verified(progress, new Action.Verify("px-0", "new-0"),
                    VerifyResult.pending("the monitor has not checked the backend yet"), THREE, T1);
            assertThat(snap(d.progress())).as("nothing recorded: no retry, no clock restart").isEqualTo(snap(progress));
            assertThat(d.action()).isEqualTo(new Action.Wait("px-0", "pod px-0: the monitor has not checked the backend yet"));
            assertThat(next(d.progress(), replaced, T1).action()).isEqualTo(new Action.Verify("px-0", "new-0"));
        }

        @Test
        void aResultForAPodThatIsNotVerifyingIsIgnored() {
            List<PodProgress> progress = list(evicting("px-0", "new-0", T0));
            progress.get(0).setRetries(1);
            Decision d = RollingReplacement.verified(progress, new Action.Verify("px-0", "new-0"), VerifyResult.failed("late"), THREE, T1);
            assertThat(snap(d.progress())).isEqualTo(snap(progress));
            assertThat(d.action()).isInstanceOf(Action.Wait.class);
            assertThat(RollingReplacement.verified(progress, null, null, THREE, T1).action()).isInstanceOf(Action.Wait.class);
        }

        @Test
        void noResultWithinTheTimeoutIsAFailedCheck() {
            Decision retry = next(list(verifying("px-0", "old-0", T0)), replaced, AT_TIMEOUT);
            assertThat(retry.action()).isEqualTo(new Action.Evict("px-0", "new-0",
                    "retry 1/1: ProxySQL check failed: " + NO_PASS));
            Decision fail = RollingReplacement.next(list(verifying("px-0", "old-0", T0)), replaced, TARGET,
                    new RollSettings(3, TIMEOUT, 0), AT_TIMEOUT);
            assertThat(fail.action()).isEqualTo(new Action.Fail("px-0",
                    "pod px-0 failed the ProxySQL check after 1 attempt: " + NO_PASS));
        }

        @Test
        void aReplacementThatStopsBeingReadyIsWaitedForAgain() {
            Decision d = next(list(verifying("px-0", "old-0", T0)), pods(fresh(0, "new-0", false), old(1, true), old(2, true)), T1);
            assertThat(entry(d, "px-0").getState()).isEqualTo("Evicting");
            assertThat(d.action()).isInstanceOf(Action.Wait.class);
        }
    }

    @Nested
    class TimeAndOddInput {
        @Test
        void offsetTimestampsAreRead() {
            PodProgress p = evicting("px-0", "old-0", T0);
            p.setStartedAt("2026-01-01T01:00:00+01:00");
            assertThat(next(list(p), pods(terminating(old(0, true))), T1).action())
                    .isEqualTo(new Action.Wait("px-0", "pod px-0: waiting for UID old-0 to finish terminating (4m0s left)"));
        }

        @Test
        void anUnreadableStartedAtRestartsTheClockAndIsRewritten() {
            PodProgress p = evicting("px-0", "old-0", T0);
            p.setStartedAt("yesterday");
            Decision d = next(list(p), pods(terminating(old(0, true))), T1.plusMillis(700));
            assertThat(entry(d, "px-0").getStartedAt()).isEqualTo("2026-01-01T00:01:00Z");
            assertThat(((Action.Wait) d.action()).expectation()).endsWith("(4m59s left)");
        }

        @Test
        void aPendingPodThatDoesNotExistIsWaitedForThenGivenUpOn() {
            Decision d = next(list(pp("px-0", PodState.PENDING)), null, T0);
            assertThat(d.action()).isEqualTo(new Action.Wait("px-0",
                    "pod px-0: the pod does not exist; waiting for the StatefulSet to create it (5m0s left)"));
            assertThat(next(d.progress(), Map.of(), AT_TIMEOUT).action())
                    .isEqualTo(new Action.Fail("px-0", "pod px-0 was not recreated within 5m0s" + RollingReplacement.NOT_CREATED_HINT));
        }

        @Test
        void unknownStatesAndNamelessEntriesFailWithoutThrowing() {
            PodProgress weird = new PodProgress("px-0", "Exploding");
            assertThat(next(list(weird), ALL_OLD_READY, T0).action())
                    .isEqualTo(new Action.Fail("px-0", "pod px-0 has the unknown state 'Exploding' in status.progress.pods"));
            assertThat(next(list(new PodProgress(null, "Pending")), ALL_OLD_READY, T0).action()).isInstanceOf(Action.Fail.class);
        }

        @Test
        void aMissingStateIsPendingAndUnknownPodsAreIgnored() {
            Map<String, ObservedPod> pods = pods(old(0, true), old(1, true), old(2, true),
                    new ObservedPod("other-9", 9, "x", false, false, null, null));
            assertThat(next(list(new PodProgress("px-0", null)), pods, T0).action()).isInstanceOf(Action.Evict.class);
        }
    }

    /** Every decision, replayed with what was persisted and the same world, gives the same action and progress. */
    @ParameterizedTest
    @MethodSource("scenarios")
    void replayingAPersistedDecisionGivesTheSameActionAgain(String name, Supplier<List<PodProgress>> progress,
                                                            Map<String, ObservedPod> pods, Instant now) {
        Decision first = next(progress.get(), pods, now);
        Decision replay = next(first.progress(), pods, now);
        assertThat(replay.action()).isEqualTo(first.action());
        assertThat(snap(replay.progress())).isEqualTo(snap(first.progress()));
        Decision again = next(progress.get(), pods, now);
        assertThat(again.action()).isEqualTo(first.action());
        assertThat(snap(again.progress())).isEqualTo(snap(first.progress()));
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> scenarios() {
        return Stream.of(
                args("first eviction", () -> list(pp("px-0", PodState.PENDING), pp("px-1", PodState.PENDING)), ALL_OLD_READY, T0),
                args("eviction refused", () -> list(evicting("px-0", "old-0", T0)), ALL_OLD_READY, T1),
                args("blocked", () -> list(pp("px-0", PodState.PENDING)), pods(old(0, true), old(1, false), old(2, true)), T1),
                args("replacement Ready", () -> list(evicting("px-0", "old-0", T0)),
                        pods(fresh(0, "new-0", true), old(1, true), old(2, true)), T1),
                args("retry of a replacement", () -> list(evicting("px-0", "old-0", T0)),
                        pods(fresh(0, "new-0", false), old(1, true), old(2, true)), AT_TIMEOUT),
                args("verify timeout", () -> list(verifying("px-0", "old-0", T0)),
                        pods(fresh(0, "new-0", true), old(1, true), old(2, true)), AT_TIMEOUT),
                args("already on target, then next", () -> list(pp("px-0", PodState.PENDING), pp("px-1", PodState.PENDING)),
                        pods(fresh(0, "n", true), old(1, true), old(2, true)), T0),
                args("fail", () -> list(evicting("px-0", "old-0", T0)), ALL_OLD_READY, AT_TIMEOUT.plusSeconds(1)));
    }

    private static org.junit.jupiter.params.provider.Arguments args(String name, Supplier<List<PodProgress>> progress,
                                                                    Map<String, ObservedPod> pods, Instant now) {
        return org.junit.jupiter.params.provider.Arguments.of(name, progress, pods, now);
    }
}
