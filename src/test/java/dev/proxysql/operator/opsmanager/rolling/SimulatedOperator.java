package dev.proxysql.operator.opsmanager.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The reconciler's loop around the engine, as the ops manager runs it: observe, decide, persist, one side effect.
 * The only state carried from one reconcile to the next is {@link #status}, a JSON string like the ops request's
 * status.progress.pods, so every reconcile is already a restart. Crashes add the remaining failure points: dying
 * before the write (the decision is lost), between the write and the side effect, and between the check and
 * recording its result. The cluster keeps moving while the operator is down.
 */
final class SimulatedOperator {
    /** Where the operator may die in one reconcile. */
    enum Crashes { NONE, AFTER_EVERY_WRITE, RANDOM }

    static final Duration TICK = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeStatefulSet sts;
    final RollTarget target;
    final RollSettings settings;
    /** Every Evict the engine asked for and the operator made, in order. */
    final List<Action.Evict> evictions = new ArrayList<>();
    /** Highest number of members not serving, observed after every side effect and tick. */
    int maxNotServing;
    /** Evictions of a Ready pod made while another member was not serving: must stay 0 when replicas > 1. */
    int readyPodsTakenDownBesideAnother;
    Instant now;
    private String status;
    private final Crashes crashes;
    private final Random random;
    private Function<Action.Verify, VerifyResult> check = v -> VerifyResult.passed("ok");

    SimulatedOperator(FakeStatefulSet sts, RollTarget target, RollSettings settings, List<PodProgress> plan,
                      Crashes crashes, long seed, Instant start) {
        this.sts = sts;
        this.target = target;
        this.settings = settings;
        this.crashes = crashes;
        this.random = new Random(seed);
        this.now = start;
        this.status = write(plan);
        this.maxNotServing = sts.notServing();
    }

    SimulatedOperator check(Function<Action.Verify, VerifyResult> check) {
        this.check = check;
        return this;
    }

    List<PodProgress> persisted() {
        try {
            return JSON.readValue(status, new TypeReference<List<PodProgress>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reconciles every tick until Complete or Fail; returns that action. */
    Action run(int maxTicks) {
        for (int tick = 0; tick < maxTicks; tick++) {
            Action end = reconcile();
            if (end != null) {
                return end;
            }
            sts.tick();
            now = now.plus(TICK);
            observeAvailability();
        }
        throw new AssertionError("no Complete or Fail within " + maxTicks + " ticks; status " + status);
    }

    /** One reconcile; Complete or Fail when the roll is over, else null. */
    private Action reconcile() {
        Decision decision = RollingReplacement.next(persisted(), sts.observe(), target, settings, now);
        assertAtMostOneInFlight(decision.progress());
        if (crash()) {
            return null; // died before writing: the decision is lost, nothing happened
        }
        status = write(decision.progress());
        if (crashes == Crashes.AFTER_EVERY_WRITE) {
            // Died right after the write; the restarted operator reads the status back and decides again.
            Decision replay = RollingReplacement.next(persisted(), sts.observe(), target, settings, now);
            assertThat(replay.action()).as("replayed action").isEqualTo(decision.action());
            assertThat(Fixtures.snap(replay.progress())).as("replayed progress").isEqualTo(Fixtures.snap(decision.progress()));
            status = write(replay.progress());
        } else if (crash()) {
            return null; // died between the write and the side effect
        }
        Action action = decision.action();
        if (action instanceof Action.Complete || action instanceof Action.Fail) {
            return action;
        }
        if (action instanceof Action.Evict evict) {
            evictions.add(evict);
            boolean evictsAReadyPod = sts.pod(evict.pod()).map(p -> sts.observed(p).serving()).orElse(false);
            if (evictsAReadyPod && sts.notServing() > 0) {
                readyPodsTakenDownBesideAnother++;
            }
            sts.evict(evict.pod(), evict.uid());
            observeAvailability();
        } else if (action instanceof Action.Verify verify) {
            VerifyResult result = check.apply(verify);
            if (crash()) {
                return null; // died before recording the result: the check runs again
            }
            Decision after = RollingReplacement.verified(persisted(), verify, result, settings, now);
            assertAtMostOneInFlight(after.progress());
            status = write(after.progress());
            if (after.action() instanceof Action.Fail) {
                return after.action();
            }
        }
        return null;
    }

    private boolean crash() {
        return crashes == Crashes.RANDOM && random.nextInt(3) == 0;
    }

    private void observeAvailability() {
        maxNotServing = Math.max(maxNotServing, sts.notServing());
    }

    private static void assertAtMostOneInFlight(List<PodProgress> progress) {
        assertThat(progress).filteredOn(p -> "Evicting".equals(p.getState()) || "Verifying".equals(p.getState()))
                .as("pods in flight").hasSizeLessThanOrEqualTo(1);
    }

    private static String write(List<PodProgress> progress) {
        try {
            return JSON.writeValueAsString(progress);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
