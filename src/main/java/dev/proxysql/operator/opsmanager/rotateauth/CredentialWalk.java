package dev.proxysql.operator.opsmanager.rotateauth;

import dev.proxysql.operator.opsmanager.step.PodConditionType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.StepResult;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.io.PodObserver;
import dev.proxysql.operator.opsmanager.rotateauth.AuthSecretRotation.Pairs;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminTimeouts;
import dev.proxysql.operator.proxysql.admin.CredentialRotation;
import dev.proxysql.operator.proxysql.admin.CredentialRotator;
import dev.proxysql.operator.proxysql.admin.CredentialRotator.NodeState;
import dev.proxysql.operator.proxysql.admin.SecretRedactor;
import dev.proxysql.operator.proxysql.config.AdminVariableDefaults;
import dev.proxysql.operator.topology.ProxySQLNames;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two steps of a RotateAuth, which replaces no pod:
 * <pre>
 * Pausing ─▶ RotatingAuth ─▶ UpdatingDatabase ─▶ Resuming
 *                 │ (fail/cancel)
 *                 └─▶ RollingBackAuth ─▶ Resuming
 * </pre>
 * <b>RotatingAuth</b>: first, before any pod is touched, the Secret that holds the new pair gets the previous one under
 * {@code username.prev}/{@code password.prev} (and, without a secretRef, the generated password): from then on the
 * Secret says which pair is old and which new, so a restarted operator goes on with the same pair. Then, each pass,
 * every pod's state is <b>observed</b> (logging in with whichever of the rotation's pairs it accepts: the Cluster syncs
 * admin variables, so pods also move by themselves) and the first pod in the lowest state is moved one state up; no pod
 * moves before every pod has reached the state below, so pods never differ by more than one state and always accept
 * each other's cluster login. Besides the Secret only the highest state written is persisted (before the write); the
 * pods themselves say where the rotation is. A pod that
 * does not answer is tried again until the step timeout, then the request fails. <b>RollingBackAuth</b>: the same
 * walk downwards (the first pod in the highest state one state down) to the old pair, then the Secret restored.
 */
final class CredentialWalk {
    private static final AdminTimeouts TIMEOUTS = new AdminTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    private final RotateAuthOperation op;

    CredentialWalk(RotateAuthOperation op) {
        this.op = op;
    }

    /** What both steps read first: the Secret that holds (or will hold) the new pair, and the pairs it records. */
    record SecretView(boolean deleting, String holder, Map<String, String> data, Optional<Pairs> pairs) {
    }

    SecretView observe(OpsRun run) {
        String holder = op.secretHoldingNewPair(run.request(), run.proxysql());
        Map<String, String> data = op.secretData(run.proxysql().getMetadata().getNamespace(), holder);
        return new SecretView(run.deleting(), holder, data, AuthSecretRotation.inProgress(data));
    }

    StepResult rotating(OpsRun run, SecretView view) {
        String ns = run.proxysql().getMetadata().getNamespace();
        String holder = view.holder();
        Map<String, String> data = view.data();
        Optional<Pairs> pairs = view.pairs();
        if (pairs.isEmpty()) {
            Map<String, String> current = op.secretData(ns, ProxySQLNames.authSecret(run.proxysql()));
            if (current == null || current.get("password") == null || data == null) {
                return new StepResult.Failed(new StepOutcome.Fail("step RotatingAuth: the auth Secret " + ProxySQLNames.authSecret(run.proxysql())
                        + " or the Secret " + holder + " is gone", OpsStep.RESUMING));
            }
            AdminCredentials previous = new AdminCredentials(current.getOrDefault("username", ProxySQLNames.CLUSTER_USER), current.get("password"));
            Map<String, String> patch = AuthSecretRotation.begin(previous, op.generated(run.request()),
                    AuthSecretRotation.generatePassword());
            run.writer().act(run.request(), "keep the previous pair in " + holder, () -> {
                op.patchSecret(ns, holder, patch);
                return null;
            });
            run.condition(ConditionType.UPDATE_CREDENTIAL, true, OpsReason.UPDATE_CREDENTIAL, "the new pair is in Secret " + holder
                    + ", the previous one under username.prev/password.prev until the rotation is done");
            run.save();
            return StepResult.now();
        }
        CredentialRotation plan = new CredentialRotation(AdminVariableDefaults.LOCAL_ADMIN, pairs.get().previous(), pairs.get().next());
        Observed seen = observe(run, plan, pairs.get());
        if (seen.problem != null) {
            return retryOrFail(run, seen, false);
        }
        int low = seen.states.values().stream().mapToInt(Integer::intValue).min().orElse(CredentialRotation.LAST);
        if (low == CredentialRotation.LAST) {
            run.condition(op.conditionType(), true, OpsReason.ROTATE_AUTH_SUCCEEDED, "every pod accepts only the new pair: "
                    + seen.states.keySet());
            run.to(OpsStep.UPDATING_DATABASE);
            run.save();
            return StepResult.now();
        }
        String pod = first(seen.states, low);
        return move(run, plan, pairs.get(), pod, low, low + 1, "rotate");
    }

    StepResult rollingBack(OpsRun run, SecretView view) {
        String ns = run.proxysql().getMetadata().getNamespace();
        String holder = view.holder();
        Optional<Pairs> pairs = view.pairs();
        if (pairs.isEmpty()) {
            // Nothing was written to a pod before the Secret (see rotating); nothing left to undo.
            run.condition(ConditionType.ROLLBACK, true, OpsReason.ROLLBACK_SUCCEEDED, "every pod accepts the previous pair");
            run.to(OpsStep.RESUMING);
            run.save();
            return StepResult.now();
        }
        CredentialRotation plan = new CredentialRotation(AdminVariableDefaults.LOCAL_ADMIN, pairs.get().previous(), pairs.get().next());
        // No pod was ever written: none can have moved (the Cluster only copies what was written), even one that cannot be reached.
        Integer written = run.progress().getRotateAuthState();
        Observed seen = written == null || written == CredentialRotation.FIRST ? new Observed(Map.of(), null) : observe(run, plan, pairs.get());
        if (seen.problem != null) {
            return retryOrFail(run, seen, true);
        }
        int high = seen.states.values().stream().mapToInt(Integer::intValue).max().orElse(CredentialRotation.FIRST);
        if (high == CredentialRotation.FIRST) {
            run.writer().act(run.request(), "restore " + holder, () -> {
                op.patchSecret(ns, holder, AuthSecretRotation.restore(pairs.get(), op.generated(run.request())));
                return null;
            });
            return StepResult.now();
        }
        return move(run, plan, pairs.get(), first(seen.states, high), high, high - 1, "roll back");
    }

    private StepResult move(OpsRun run, CredentialRotation plan, Pairs pairs, String pod, int from, int to, String verb) {
        CredentialRotator rotator = new CredentialRotator(plan, TIMEOUTS);
        Integer written = run.progress().getRotateAuthState();
        if (written == null || to > written) {
            // Saved before the write: a rollback then knows some pod may have been moved (see OpsProgress.rotateAuthState).
            run.progress().setRotateAuthState(to);
            run.save();
        }
        try {
            run.writer().act(run.request(), verb + " " + pod + " to state " + to, () -> {
                try {
                    rotator.step(op.endpoints().of(run.proxysql(), pod), from, to);
                    return null;
                } catch (SQLException e) {
                    throw new PodRefused(e);
                }
            });
        } catch (PodRefused e) {
            String why = redact(pairs, e.getCause().getMessage());
            return retryOrFail(run, new Observed(Map.of(), pod + ": " + why), !verb.equals("rotate"));
        }
        run.progress().setStepStartedAt(Conditions.now(run.clock()));
        run.condition(PodConditionType.ROTATE_AUTH_POD, pod, to == CredentialRotation.LAST, verb.equals("rotate") ? OpsReason.ROTATE_AUTH_POD : OpsReason.ROTATE_AUTH_POD_ROLLED_BACK,
                "pod " + pod + " is in rotation state " + to + " of " + CredentialRotation.LAST + " (" + describe(to) + ")");
        run.save();
        return StepResult.now();
    }

    /** The pod's admin interface refused or failed the write (only this is caught: a crash must stay a crash). */
    private static final class PodRefused extends RuntimeException {
        PodRefused(SQLException cause) {
            super(cause);
        }
    }

    /** Every pod's rotation state, or why one could not be read. */
    private record Observed(Map<String, Integer> states, String problem) {
    }

    private Observed observe(OpsRun run, CredentialRotation plan, Pairs pairs) {
        CredentialRotator rotator = new CredentialRotator(plan, TIMEOUTS);
        Map<String, Integer> states = new LinkedHashMap<>();
        for (String pod : PodObserver.declared(run.proxysql())) {
            try {
                Optional<NodeState> s = rotator.state(op.endpoints().of(run.proxysql(), pod));
                if (s.isEmpty() || s.get().state() < 0) {
                    return new Observed(states, "pod " + pod + " accepts neither the previous, the bridge nor the new pair, or its"
                            + " admin credentials were changed by someone else");
                }
                states.put(pod, s.get().state());
            } catch (SQLException e) {
                return new Observed(states, "pod " + pod + " does not answer on its admin interface: " + redact(pairs, e.getMessage()));
            }
        }
        return new Observed(states, null);
    }

    /** A pod that does not answer is tried again until the step timeout (reset by every pod moved), then fails. */
    private StepResult retryOrFail(OpsRun run, Observed seen, boolean rollback) {
        if (!run.stepTimedOut()) {
            return StepResult.poll();
        }
        String why = seen.problem + " (for " + run.timeoutText() + ")";
        return rollback ? new StepResult.RollbackFailed(why)
                : new StepResult.Failed(new StepOutcome.Fail("step RotatingAuth: " + why, OpsStep.ROLLING_BACK_AUTH));
    }


    private static String first(Map<String, Integer> states, int state) {
        return states.entrySet().stream().filter(e -> e.getValue() == state).map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static String describe(int state) {
        return List.of("previous pair", "bridge user added", "cluster sync on the bridge", "new pair, bridge kept",
                "cluster sync on the new pair", "new pair only").get(state);
    }

    private static String redact(Pairs pairs, String text) {
        return SecretRedactor.redact(SecretRedactor.redact(String.valueOf(text), pairs.previous().password()), pairs.next().password());
    }
}
