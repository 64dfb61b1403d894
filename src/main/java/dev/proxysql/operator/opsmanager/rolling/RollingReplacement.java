package dev.proxysql.operator.opsmanager.rolling;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.kube.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Replaces a StatefulSet's pods (updateStrategy OnDelete) one at a time through the Eviction API: a pure
 * state-transition function over (persisted progress, observed pods, now). The caller persists
 * {@link Decision#progress()} first and only then performs {@link Decision#action()}; the operator may die at any
 * line, and calling again with what was persisted gives the same action again. Rollback uses the same engine with
 * the previous template's target (see {@link RollbackPlan}).
 *
 * <p>The promises, in the order the engine applies them:
 * <ol>
 * <li><b>One pod at a time.</b> At most one pod is Evicting or Verifying. The engine works on that pod if there is
 * one, otherwise on the first pod in list order that is not Done; it never skips ahead.</li>
 * <li><b>Already there.</b> A Pending pod that is on the target (revision and images) and Ready is marked Done
 * without an eviction ("already on target"), and the engine moves on in the same call. A Pending pod on the target
 * that is not Ready is waited for like a replacement (rule 5).</li>
 * <li><b>Availability.</b> A Ready pod is never taken down while another member of the set (ordinal below
 * {@code replicas}) is missing, not Ready or terminating; the engine waits instead. Evicting a pod that is not
 * Ready is always allowed: it serves nothing. With {@code replicas <= 1} there is no other way forward, so the only
 * pod is taken down. The check is repeated before every repeated eviction, not only the first.</li>
 * <li><b>Exactly one replacement per attempt.</b> The pod's UID is recorded ({@code evictedUid}, state Evicting,
 * {@code startedAt} = now) before the eviction is requested. While a pod with that UID exists and is not
 * terminating, the eviction did not happen (never made, or refused with 429 by a PodDisruptionBudget): Evict the
 * same UID again. A terminating or missing pod: wait. A pod of that name with another UID is the replacement.</li>
 * <li><b>The replacement.</b> Not on the target: Fail at once, naming both revisions (it was created from a stale
 * template and will never become right). Not Ready: wait. Ready: Verifying, and {@link Action.Verify} until
 * {@link #verified} reports the outcome, or Done directly when the ProxySQL check is disabled.</li>
 * <li><b>Bounded waits, bounded retries.</b> Every wait on a pod ends at {@code startedAt + stepTimeout}. A
 * replacement that did not become Ready in time, or failed its check, is retried while {@code retries < maxRetries}:
 * retries + 1, {@code startedAt} = now, Evicting with {@code evictedUid} = the replacement's UID, so the retry is
 * itself exactly-once. Waits the operator cannot shorten by evicting (eviction refused, pod stuck terminating, pod
 * not recreated, another pod not Ready) Fail at the timeout. A Fail leaves the progress unchanged.</li>
 * <li><b>No clock, no surprises.</b> Time comes only from {@code now} and the persisted RFC 3339 {@code startedAt}
 * (an unreadable one restarts the clock). Same input, same output. Odd input never throws: an empty list is
 * Complete, unknown pods are ignored, missing pods are waited for, an unknown state is a Fail.</li>
 * </ol>
 */
public final class RollingReplacement {
    /** Where the reason is: the StatefulSet controller reports a refused pod creation as an Event, not in status. */
    static final String NOT_CREATED_HINT = " (the StatefulSet's FailedCreate Events say why, e.g. a ResourceQuota or an admission policy)";

    private RollingReplacement() {
    }

    /** The next step of the roll. See the class comment for the rules. */
    public static Decision next(List<PodProgress> progress, Map<String, ObservedPod> pods, RollTarget target,
                                RollSettings settings, Instant now) {
        List<PodProgress> work = copy(progress);
        Round round = new Round(pods, target, settings, now);
        // Each pass either returns or marks a pod Done / turns a failed check into an eviction; the bound only
        // guarantees termination should that reasoning ever be wrong.
        for (int pass = 0; pass <= 2 * work.size() + 1; pass++) {
            PodProgress current = current(work);
            if (current == null) {
                return new Decision(work, new Action.Complete());
            }
            Action action = round.decide(current);
            if (action != null) {
                return new Decision(work, action);
            }
        }
        return new Decision(work, new Action.Fail(null, "the rolling replacement made no progress (engine defect)"));
    }

    /**
     * Records the outcome of the check that {@code verify} asked for. Passed: the pod is Done, and the action is
     * Complete or a Wait naming the next pod (call {@link #next} for it). Failed: a retry is recorded (Evicting, with
     * the checked replacement's UID) and the action is a Wait, because only {@link #next} sees whether the other
     * pods are Ready enough to take this one down again; or Fail when retries are used up. A result for a pod that is
     * no longer Verifying (a stale or repeated call) changes nothing.
     */
    public static Decision verified(List<PodProgress> progress, Action.Verify verify, VerifyResult result,
                                    RollSettings settings, Instant now) {
        List<PodProgress> work = copy(progress);
        PodProgress pp = verify == null ? null : work.stream()
                .filter(p -> Objects.equals(p.getName(), verify.pod()))
                .filter(p -> PodState.parse(p.getState()).orElse(null) == PodState.VERIFYING)
                .findFirst().orElse(null);
        if (pp == null) {
            return new Decision(work, afterwards(work, "a check result for a pod that is not being verified was ignored"));
        }
        if (result != null && result.passed()) {
            pp.setState(PodState.DONE.value());
            return new Decision(work, afterwards(work, "pod " + pp.getName() + " passed its check"));
        }
        if (result != null && result.pending()) {
            // Still Verifying: the next pass asks again, and the step timeout turns a check that never passes into a
            // failed one (see Round#replacement).
            return new Decision(work, new Action.Wait(pp.getName(), "pod " + pp.getName() + ": " + result.message()));
        }
        String message = result == null || result.message() == null ? "no result" : result.message();
        Round round = new Round(Map.of(), null, settings, now);
        Action fail = round.checkFailed(pp, verify.uid(), message);
        if (fail != null) {
            return new Decision(work, fail);
        }
        return new Decision(work, new Action.Wait(pp.getName(), "pod " + pp.getName() + ": " + pp.getReason()
                + "; it is evicted again once every other pod is Ready"));
    }

    private static Action afterwards(List<PodProgress> work, String what) {
        PodProgress next = current(work);
        if (next == null) {
            return new Action.Complete();
        }
        return new Action.Wait(next.getName(), what + "; next: pod " + next.getName());
    }

    /** The in-flight pod if any (rule 1), else the first one not Done. Unknown states count as not Done. */
    private static PodProgress current(List<PodProgress> work) {
        for (PodProgress p : work) {
            PodState s = PodState.parse(p.getState()).orElse(null);
            if (s == PodState.EVICTING || s == PodState.VERIFYING) {
                return p;
            }
        }
        for (PodProgress p : work) {
            if (PodState.parse(p.getState()).orElse(null) != PodState.DONE) {
                return p;
            }
        }
        return null;
    }

    private static List<PodProgress> copy(List<PodProgress> progress) {
        List<PodProgress> copy = new ArrayList<>();
        if (progress != null) {
            for (PodProgress p : progress) {
                if (p != null) {
                    PodProgress c = new PodProgress(p.getName(), p.getState());
                    c.setEvictedUid(p.getEvictedUid());
                    c.setStartedAt(p.getStartedAt());
                    c.setRetries(p.getRetries());
                    c.setReason(p.getReason());
                    c.setCheck(p.getCheck());
                    copy.add(c);
                }
            }
        }
        return copy;
    }

    /** The inputs of one call, and the decision for the current pod. {@code null} means "decide again". */
    private static final class Round {
        private final Map<String, ObservedPod> pods;
        private final Collection<ObservedPod> observed;
        private final RollTarget target;
        private final RollSettings settings;
        private final Instant now;

        Round(Map<String, ObservedPod> pods, RollTarget target, RollSettings settings, Instant now) {
            this.pods = pods == null ? Map.of() : pods;
            this.observed = this.pods.values();
            this.target = target == null ? new RollTarget(null, Map.of()) : target;
            this.settings = settings == null ? new RollSettings(1, null, 0) : settings;
            this.now = now == null ? Instant.EPOCH : now;
        }

        Action decide(PodProgress pp) {
            String name = pp.getName();
            if (name == null || name.isBlank()) {
                return new Action.Fail(name, "status.progress.pods has an entry without a pod name");
            }
            Optional<PodState> state = PodState.parse(pp.getState());
            if (state.isEmpty()) {
                return new Action.Fail(name, "pod " + name + " has the unknown state '" + pp.getState()
                        + "' in status.progress.pods");
            }
            ObservedPod pod = pods.get(name);
            switch (state.get()) {
                case PENDING:
                    return pending(pp, pod);
                case EVICTING:
                case VERIFYING:
                    return inFlight(pp, pod, state.get());
                default:
                    return null;
            }
        }

        private Action pending(PodProgress pp, ObservedPod pod) {
            String name = pp.getName();
            if (pod == null) {
                return waitOrFail(pp, "the pod does not exist; waiting for the StatefulSet to create it",
                        "pod " + name + " was not recreated within " + timeout() + NOT_CREATED_HINT);
            }
            if (pod.terminating()) {
                return waitOrFail(pp, "UID " + pod.uid() + " is being deleted (not by this request); waiting for its replacement",
                        "pod " + name + " (UID " + pod.uid() + ") was still terminating after " + timeout());
            }
            if (target.matches(pod)) {
                if (pod.ready()) {
                    pp.setState(PodState.DONE.value());
                    pp.setReason(pp.getReason() == null ? "already on target" : pp.getReason() + "; already on target");
                    return null;
                }
                return notReady(pp, pod, "the pod is on " + targetName() + " but not Ready; waiting for it to become Ready");
            }
            if (pod.uid() == null || pod.uid().isBlank()) {
                return waitOrFail(pp, "its UID is not known yet", "pod " + name + " showed no UID within " + timeout());
            }
            Action blocked = blockedByOthers(pp, pod);
            if (blocked != null) {
                return blocked;
            }
            pp.setState(PodState.EVICTING.value());
            pp.setEvictedUid(pod.uid());
            pp.setStartedAt(Times.format(now));
            return new Action.Evict(name, pod.uid(), reasonOf(pp));
        }

        private Action inFlight(PodProgress pp, ObservedPod pod, PodState state) {
            String name = pp.getName();
            String evicted = pp.getEvictedUid();
            if (evicted == null || evicted.isBlank()) {
                // Nothing was recorded, so nothing was evicted: start this pod over.
                pp.setState(PodState.PENDING.value());
                return pending(pp, pod);
            }
            if (pod == null) {
                pp.setState(PodState.EVICTING.value());
                return waitOrFail(pp, "UID " + evicted + " is gone; waiting for the StatefulSet to create the replacement",
                        "pod " + name + " was not recreated within " + timeout() + " after UID " + evicted + " was evicted"
                                + NOT_CREATED_HINT);
            }
            if (pod.terminating()) {
                pp.setState(PodState.EVICTING.value());
                return waitOrFail(pp, "waiting for UID " + pod.uid() + " to finish terminating",
                        "pod " + name + " (UID " + pod.uid() + ") was still terminating after " + timeout());
            }
            if (evicted.equals(pod.uid())) {
                pp.setState(PodState.EVICTING.value());
                Action blocked = blockedByOthers(pp, pod);
                if (blocked != null) {
                    return blocked;
                }
                if (timedOut(pp)) {
                    return new Action.Fail(name, "pod " + name + " (UID " + evicted + ") was not evicted within " + timeout()
                            + ": the Eviction API kept refusing it (a PodDisruptionBudget that allows no disruption answers 429)");
                }
                return new Action.Evict(name, evicted, reasonOf(pp));
            }
            return replacement(pp, pod, state);
        }

        private Action replacement(PodProgress pp, ObservedPod pod, PodState state) {
            String name = pp.getName();
            if (!target.matches(pod)) {
                return new Action.Fail(name, "pod " + name + " was recreated (UID " + pod.uid() + ") "
                        + offTarget(pod) + ": the StatefulSet controller did not apply the new template");
            }
            if (!pod.ready()) {
                pp.setState(PodState.EVICTING.value());
                return notReady(pp, pod, "waiting for the replacement of UID " + pp.getEvictedUid() + " to become Ready");
            }
            if (state != PodState.VERIFYING) {
                // The check gets a whole step of its own, however long the pod took to become Ready.
                pp.setState(PodState.VERIFYING.value());
                pp.setStartedAt(Times.format(now));
                return new Action.Verify(name, pod.uid());
            }
            if (timedOut(pp)) {
                return checkFailed(pp, pod.uid(), "the check did not pass within " + timeout()
                        + " (the pod's CheckPodReady condition has the last answer)");
            }
            return new Action.Verify(name, pod.uid());
        }

        /** A pod on the target that is not Ready: wait, then evict it again (it serves nothing) or give up. */
        private Action notReady(PodProgress pp, ObservedPod pod, String expectation) {
            ensureStarted(pp);
            if (!timedOut(pp)) {
                return waitAction(pp, expectation);
            }
            if (retries(pp) < settings.maxRetries() && pod.uid() != null && !pod.uid().isBlank()) {
                retry(pp, pod.uid(), "not Ready on " + targetName() + " within " + timeout());
                return new Action.Evict(pp.getName(), pod.uid(), pp.getReason());
            }
            return new Action.Fail(pp.getName(), "pod " + pp.getName() + " did not become Ready on " + targetName()
                    + " within " + timeout() + " after " + (retries(pp) + 1) + " attempt" + (retries(pp) == 0 ? "" : "s"));
        }

        /** Records a retry of a failed check (null: the caller decides again), or the final Fail. */
        Action checkFailed(PodProgress pp, String uid, String message) {
            if (retries(pp) < settings.maxRetries() && uid != null && !uid.isBlank()) {
                retry(pp, uid, "ProxySQL check failed: " + message);
                return null;
            }
            return new Action.Fail(pp.getName(), "pod " + pp.getName() + " failed the ProxySQL check after "
                    + (retries(pp) + 1) + " attempt" + (retries(pp) == 0 ? "" : "s") + ": " + message);
        }

        private void retry(PodProgress pp, String uid, String cause) {
            int attempt = retries(pp) + 1;
            pp.setRetries(attempt);
            pp.setState(PodState.EVICTING.value());
            pp.setEvictedUid(uid);
            pp.setStartedAt(Times.format(now));
            pp.setReason("retry " + attempt + "/" + settings.maxRetries() + ": " + cause);
        }

        /** Rule 3: a Ready pod goes down only while every other member serves (or when it is the only one). */
        private Action blockedByOthers(PodProgress pp, ObservedPod pod) {
            if (!pod.ready() || settings.replicas() <= 1) {
                return null;
            }
            List<String> others = Availability.othersNotServing(pod, observed, settings.replicas());
            if (others.isEmpty()) {
                return null;
            }
            String list = String.join(", ", others);
            return waitOrFail(pp, "the pod is Ready and is taken down only while every other pod is Ready; waiting for " + list,
                    "pod " + pp.getName() + " could not be taken down within " + timeout() + " because other pods were not Ready: "
                            + list + " (a Ready pod is never taken down while another is not)");
        }

        private Action waitOrFail(PodProgress pp, String expectation, String failure) {
            ensureStarted(pp);
            return timedOut(pp) ? new Action.Fail(pp.getName(), failure) : waitAction(pp, expectation);
        }

        private Action.Wait waitAction(PodProgress pp, String expectation) {
            Duration left = Duration.between(now, deadline(pp));
            return new Action.Wait(pp.getName(), "pod " + pp.getName() + ": " + expectation + " (" + GoDuration.format(left) + " left)");
        }

        private void ensureStarted(PodProgress pp) {
            if (Times.parse(pp.getStartedAt()).isEmpty()) {
                pp.setStartedAt(Times.format(now));
            }
        }

        /** Started at, or when the operator process started if later (see {@link RollSettings#countsFrom}), plus the timeout. */
        private Instant deadline(PodProgress pp) {
            Instant started = Times.parse(pp.getStartedAt()).orElse(now);
            return (started.isBefore(settings.countsFrom()) ? settings.countsFrom() : started).plus(settings.stepTimeout());
        }

        private boolean timedOut(PodProgress pp) {
            return !now.isBefore(deadline(pp));
        }

        private String timeout() {
            return GoDuration.format(settings.stepTimeout());
        }

        /** "from revision a, not from revision b" and/or "with image x instead of y". */
        private String offTarget(ObservedPod pod) {
            List<String> parts = new ArrayList<>();
            if (!target.revisionMatches(pod)) {
                parts.add("from revision " + pod.revision() + ", not from " + targetName());
            }
            for (String image : target.imageDifferences(pod)) {
                parts.add("with " + image.replace(" -> ", " instead of "));
            }
            return String.join(" and ", parts);
        }

        private String targetName() {
            String revision = target.revision();
            return revision == null || revision.isBlank() ? "the target images" : "revision " + revision;
        }

        private static int retries(PodProgress pp) {
            return pp.getRetries() == null ? 0 : Math.max(0, pp.getRetries());
        }

        private static String reasonOf(PodProgress pp) {
            return pp.getReason() == null ? "replace pod " + pp.getName() : pp.getReason();
        }
    }
}
