package dev.proxysql.operator.opsmanager.horizontalscaling;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.GoDuration;
import dev.proxysql.operator.opsmanager.checks.ClusterMembers;
import dev.proxysql.operator.opsmanager.checks.ProxySQLLevelCheck;
import dev.proxysql.operator.opsmanager.rolling.ObservedPod;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.opsmanager.io.PodObserver;
import dev.proxysql.operator.opsmanager.io.PodWriter;
import dev.proxysql.operator.opsmanager.io.TemplateRenderer;
import dev.proxysql.operator.opsmanager.step.StepWriter;
import dev.proxysql.operator.topology.ClientServiceMembership;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.StatefulSetFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One pass of a HorizontalScaling's ScalingMembers (or RollingBackMembers) step, on the first entry of its
 * {@link MemberPlan} not done. Every write goes through {@link StepWriter} (named stop points) and is safe to repeat:
 * the config Secret and the StatefulSet are the provisioner's renderings for the entry's member count, applied
 * hash-guarded under its field manager (so after the resume it has nothing to change); a node is told the membership
 * only when its runtime table differs. A state change of the entry is returned for the state machine to save before
 * anything of the next state is done.
 *
 * <p>Adding pod k (k+1 members): the config Secret for k+1 (the new pod starts from it, listing every member and
 * itself), members 0..k-1 told k+1 members (runtime and disk), the StatefulSet at k+1 replicas; then pod k must be
 * Ready, pass the ProxySQL-level check and agree with its peers on every checksum. Removing pod k (k members):
 * members 0..k-1 told k members (so none probes it any more), pod k taken out of the client Service
 * ({@link ClientServiceMembership}: gone from its EndpointSlices, then {@link #SERVICE_LEAVE_MARGIN} for kube-proxy),
 * then drained ({@code PROXYSQL PAUSE}: it stops accepting clients, then its clients leave, at most
 * {@link #DRAIN_LIMIT} in all); then the config Secret and the StatefulSet for k, pod k gone, and every remaining
 * member listing exactly the k and agreeing. Pausing first (as this class did) let the Service send new clients to a
 * pod that refused them until its readiness probe failed: make e2e counted the refused connects.
 */
public final class MemberScaling {
    /** How long a leaving pod's clients are given to leave after it stopped accepting new ones. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    /**
     * How long a leaving pod keeps accepting clients once no EndpointSlice lists it: kube-proxy on every node needs a
     * moment to apply that (the same reason as the pods' preStop, {@code StatefulSetFactory.DRAIN_SECONDS}).
     */
    static final Duration SERVICE_LEAVE_MARGIN = Duration.ofSeconds(5);

    /** What the pass found. {@code message} is for the pod's condition (null: nothing new to say). */
    public sealed interface Outcome {
        /** Nothing changed: look again later. */
        record Wait(String message) implements Outcome {
        }

        /** The entry changed state: save, then go on at once. */
        record Advance(PodProgress entry, String message) implements Outcome {
        }

        /** Every entry is done. */
        record Complete() implements Outcome {
        }

        /** The entry cannot be done. */
        record Failed(String reason) implements Outcome {
        }
    }

    private final TemplateRenderer renderer;
    private final PodObserver pods;
    private final PodWriter podWriter;
    private final ProxySQLLevelCheck check;
    private final ChildApplier applier;
    private final KubernetesClient client;

    public MemberScaling(KubernetesClient client, TemplateRenderer renderer, ProxySQLLevelCheck check) {
        this.client = client;
        this.renderer = renderer;
        this.pods = new PodObserver(client);
        this.podWriter = new PodWriter(client);
        this.check = check;
        this.applier = new ChildApplier(client, StatefulSetFactory.FIELD_MANAGER, () -> { });
    }

    /**
     * @param countsFrom when this operator started: a wait is counted from the later of its start and that (as every
     *                   other wait of the ops manager)
     * @param release    the ProxySQL release the pods run (for the check of an added pod)
     */
    public Outcome pass(StepWriter effects, Clock clock, ProxySQLOpsRequest r, ProxySQL p, List<PodProgress> plan, Duration timeout, Instant countsFrom,
                 String release) {
        Optional<PodProgress> next = MemberPlan.next(plan);
        if (next.isEmpty()) {
            return new Outcome.Complete();
        }
        PodProgress e = next.get();
        String pod = e.getName();
        int k = MemberPlan.ordinal(pod);
        int members = MemberPlan.members(e);
        boolean adds = MemberPlan.adds(e);
        Instant now = Instant.now(clock);
        if (MemberPlan.PENDING.equals(e.getState())) {
            return advance(clock, e, adds ? MemberPlan.JOINING : MemberPlan.LEAVING, now,
                    (adds ? "adding pod " : "removing pod ") + pod + ": the ProxySQL Cluster goes to " + members + " members");
        }
        Instant started = Instant.parse(e.getStartedAt());
        boolean timedOut = now.isAfter((started.isBefore(countsFrom) ? countsFrom : started).plus(timeout));
        Optional<ClusterMembers> nodes = check.members();
        String told = tellOthers(effects, r, p, nodes, k, members);
        if (told != null) {
            return timedOut ? new Outcome.Failed(told) : new Outcome.Wait(told);
        }
        switch (e.getState()) {
            case MemberPlan.JOINING -> {
                String problem = applyRenderings(effects, r, p, members);
                if (problem != null) {
                    return new Outcome.Failed(problem);
                }
                ObservedPod observed = pods.observe(p).get(pod);
                if (observed != null && !observed.terminating() && nodes.isPresent() && (MemberPlan.rollsBack(e) || !observed.ready())) {
                    // A pod drained and kept by a failed scale-down listens again once resumed (PROXYSQL RESUME; not paused
                    // counts as done). A rollback resumes it whether or not it is Ready, and waits until it did: its
                    // readiness probe may not have seen the drain yet, and Ready would then hide a pod that takes no client.
                    String resumed = effects.act(r, "resume " + pod, () -> nodes.get().accept(p, pod));
                    if (resumed != null && MemberPlan.rollsBack(e)) {
                        return timedOut ? new Outcome.Failed(resumed) : new Outcome.Wait(resumed);
                    }
                }
                if (observed != null && !observed.terminating()) {
                    // Back into the client Service (a pod kept by a rollback) once it accepts clients again, resumed above.
                    returnToClientService(effects, r, p, pod);
                }
                if (observed == null || observed.terminating() || !observed.ready()) {
                    String why = "pod " + pod + " is " + (observed == null ? "not created yet" : observed.terminating() ? "terminating" : "not Ready");
                    return timedOut ? new Outcome.Failed("pod " + pod + " did not become Ready within " + GoDuration.format(timeout) + " ("
                            + why + ")") : new Outcome.Wait(null);
                }
                VerifyResult v = check.verify(HorizontalScalingOperation.withMembers(p, members), pod, release);
                if (v.passed() && nodes.isPresent()) {
                    VerifyResult agreement = nodes.get().agrees(p, pod, members);
                    v = agreement.passed() ? VerifyResult.passed(v.message() + "; " + agreement.message()) : agreement;
                }
                if (v.passed()) {
                    return advance(clock, e, MemberPlan.DONE, now, "pod " + pod + " joined: " + v.message());
                }
                if (!v.pending() || timedOut) {
                    return new Outcome.Failed("pod " + pod + " failed the ProxySQL check: " + v.message());
                }
                return new Outcome.Wait(v.message());
            }
            case MemberPlan.LEAVING -> {
                if (nodes.isPresent()) {
                    String leaving = leaveClientService(effects, r, p, pod, now);
                    if (leaving != null && !timedOut) {
                        // Never PAUSE in the pass that took the pod out of the Service: kube-proxy needs the margin. Only a
                        // Service that never drops the pod within the step timeout is given up on (its readiness probe
                        // then takes the paused pod out, as before this step existed).
                        return new Outcome.Wait(leaving);
                    }
                    // The drain's own budget counts from when the pod left the Service (and not from before this
                    // operator started, like every other wait): a restart must not skip the drain.
                    Instant drainFrom = later(later(started, countsFrom), drainStart(p, pod));
                    boolean drainOver = now.isAfter(drainFrom.plus(timeout.compareTo(DRAIN_LIMIT) < 0 ? timeout : DRAIN_LIMIT));
                    String stopped = effects.act(r, "drain " + pod, () -> nodes.get().stopAccepting(p, pod));
                    long clients = stopped != null ? Long.MAX_VALUE : nodes.get().clientConnections(p, pod);
                    if (clients > 0 && !drainOver) {
                        return new Outcome.Wait("draining pod " + pod + ": " + (stopped != null ? stopped : clients + " client connection(s) left"));
                    }
                }
                return advance(clock, e, MemberPlan.DELETING, now, "pod " + pod + " left the ProxySQL Cluster and was drained; deleting it");
            }
            case MemberPlan.DELETING -> {
                String problem = applyRenderings(effects, r, p, members);
                if (problem != null) {
                    return new Outcome.Failed(problem);
                }
                if (pods.observe(p).containsKey(pod)) {
                    return timedOut ? new Outcome.Failed("pod " + pod + " was not deleted within " + GoDuration.format(timeout)) : new Outcome.Wait(null);
                }
                String agreed = "";
                for (int i = 0; nodes.isPresent() && i < k; i++) {
                    VerifyResult v = nodes.get().agrees(p, ProxySQLNames.statefulSet(p) + "-" + i, members);
                    if (!v.passed()) {
                        return timedOut ? new Outcome.Failed(v.message()) : new Outcome.Wait(v.message());
                    }
                    agreed = "; every remaining member lists exactly the " + members + " and agrees on every checksum";
                }
                return advance(clock, e, MemberPlan.DONE, now, "pod " + pod + " removed" + agreed);
            }
            default -> throw new IllegalStateException("member entry " + pod + " in unknown state " + e.getState());
        }
    }

    /**
     * Takes {@code pod} out of the client Service; null once no EndpointSlice lists it and kube-proxy had
     * {@link #SERVICE_LEAVE_MARGIN} to notice (or the pod is gone), else what is awaited.
     */
    private String leaveClientService(StepWriter effects, ProxySQLOpsRequest r, ProxySQL p, String pod, Instant now) {
        String ns = p.getMetadata().getNamespace();
        Optional<Pod> live = pods.pod(ns, pod);
        if (live.isEmpty()) {
            return null;
        }
        if (ClientServiceMembership.selects(live.get())) {
            effects.act(r, "take " + pod + " out of the client Service", () -> {
                podWriter.leaveClientService(ns, pod, now);
                return null;
            });
            return "taking pod " + pod + " out of the client Service before it stops accepting clients";
        }
        if (pods.inEndpoints(ns, ProxySQLNames.primaryService(p), pod)) {
            return "pod " + pod + " is still an endpoint of the client Service " + ProxySQLNames.primaryService(p);
        }
        Instant since = ClientServiceMembership.outSince(live.get()).orElse(Instant.EPOCH);
        return now.isBefore(since.plus(SERVICE_LEAVE_MARGIN)) ? "pod " + pod + " left the client Service; giving kube-proxy "
                + SERVICE_LEAVE_MARGIN.toSeconds() + " s before it stops accepting clients" : null;
    }

    /** When the drain of {@code pod} may start: once it left the client Service plus the margin for kube-proxy. */
    private Instant drainStart(ProxySQL p, String pod) {
        return pods.pod(p.getMetadata().getNamespace(), pod).flatMap(ClientServiceMembership::outSince)
                .map(since -> since.plus(SERVICE_LEAVE_MARGIN)).orElse(Instant.EPOCH);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** A pod kept (a rollback, a scale-up meeting a pod left behind) serves clients again through the client Service. */
    private void returnToClientService(StepWriter effects, ProxySQLOpsRequest r, ProxySQL p, String pod) {
        String ns = p.getMetadata().getNamespace();
        Optional<Pod> live = pods.pod(ns, pod);
        if (live.isPresent() && !ClientServiceMembership.selects(live.get())) {
            effects.act(r, "return " + pod + " to the client Service", () -> {
                podWriter.returnToClientService(ns, pod);
                return null;
            });
        }
    }

    /** Tells members 0..k-1 (those that stay, or were there before the pod added) the new membership; null when all list it. */
    private String tellOthers(StepWriter effects, ProxySQLOpsRequest r, ProxySQL p, Optional<ClusterMembers> nodes, int k, int members) {
        if (nodes.isEmpty()) {
            return null;
        }
        for (int i = 0; i < k; i++) {
            String other = ProxySQLNames.statefulSet(p) + "-" + i;
            Optional<Boolean> lists = nodes.get().lists(p, other, members);
            if (lists.isEmpty()) {
                return "cannot ask pod " + other + " for its cluster peers";
            }
            if (!lists.get()) {
                String problem = effects.act(r, "tell " + other + " " + members + " members", () -> nodes.get().tell(p, other, members));
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** The config Secret, then the StatefulSet, rendered for {@code members}; null when applied, else why not. */
    private String applyRenderings(StepWriter effects, ProxySQLOpsRequest r, ProxySQL p, int members) {
        ProxySQL target = HorizontalScalingOperation.withMembers(p, members);
        TemplateRenderer.RenderedSecret config = renderer.renderConfig(target);
        if (config.problem() != null) {
            return "cannot render the config Secret for " + members + " members: " + config.problem();
        }
        TemplateRenderer.Rendered sts = renderer.render(target);
        if (!sts.ok()) {
            return "cannot render the StatefulSet for " + members + " members: " + sts.problem();
        }
        String ns = p.getMetadata().getNamespace();
        Secret liveConfig = client.secrets().inNamespace(ns).withName(ProxySQLNames.configSecret(p)).get();
        if (liveConfig == null || !ChildApplier.hashOf(config.secret()).equals(ChildApplier.annotation(liveConfig))) {
            effects.act(r, "config Secret " + members + " members", () -> applier.apply(config.secret(), liveConfig));
        }
        StatefulSet liveSts = client.apps().statefulSets().inNamespace(ns).withName(ProxySQLNames.statefulSet(p)).get();
        if (liveSts == null || !ChildApplier.hashOf(sts.statefulSet()).equals(ChildApplier.annotation(liveSts))) {
            effects.act(r, "StatefulSet " + members + " replicas", () -> applier.apply(sts.statefulSet(), liveSts));
        }
        return null;
    }

    private static Outcome advance(Clock clock, PodProgress e, String state, Instant now, String message) {
        e.setState(state);
        e.setStartedAt(Conditions.now(clock));
        return new Outcome.Advance(e, message);
    }
}
