package dev.proxysql.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's part in leader election, and what happens when it changes.
 *
 * <p>Every replica starts its informers at once (so a standby has warm caches and is Ready), but only the Lease holder
 * processes events. <b>A leader that loses the Lease halts the JVM with status 1 at once</b> — no shutdown hooks, no
 * waiting for reconciliations in flight — so that it never acts alongside the new leader; Kubernetes restarts the
 * container, which comes back as a standby. (JOSDK's own reaction, {@code System.exit(1)}, would run shutdown hooks
 * while reconciliations go on, and hangs when it is triggered from a shutdown hook; it is switched off.)
 *
 * <p>A deliberate shutdown ({@link #stopping()}) is not a loss: the operator stops, then {@link #release} empties the
 * Lease so that a standby takes over within one retry period instead of a whole lease duration.
 */
public final class Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    /** Where this process stands. */
    public enum State { DISABLED, STANDING_BY, LEADING, LOST }

    private final LeaderElectionSettings settings;
    private final Runnable onLoss;
    private volatile State state;
    private volatile String leader;
    private volatile boolean stopping;
    private volatile boolean led;

    private Leadership(LeaderElectionSettings settings, Runnable onLoss, MeterRegistry registry) {
        this.settings = settings;
        this.onLoss = onLoss;
        this.state = settings == null ? State.DISABLED : State.STANDING_BY;
        Gauge.builder("proxysql.operator.leader", this, l -> l.acting() ? 1 : 0)
                .description("1 when this process reconciles (it holds the Lease, or leader election is off), 0 when it stands by")
                .register(registry);
    }

    /** Leader election off: this process always acts. */
    public static Leadership disabled(MeterRegistry registry) {
        return new Leadership(null, () -> { }, registry);
    }

    /** Leader election on; {@code onLoss} must stop the process at once (production: {@code Runtime.halt(1)}). */
    public static Leadership elect(LeaderElectionSettings settings, MeterRegistry registry, Runnable onLoss) {
        return new Leadership(Objects.requireNonNull(settings), onLoss, registry);
    }

    /** JOSDK's configuration, with our callbacks and without its {@code System.exit}. */
    public Optional<LeaderElectionConfiguration> configuration() {
        if (settings == null) {
            return Optional.empty();
        }
        return Optional.of(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                .withLeaseNamespace(settings.namespace())
                .withIdentity(settings.identity())
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
                .withExitOnStopLeading(false)
                .build());
    }

    public State state() {
        return state;
    }

    /** Whether this process reconciles. */
    public boolean acting() {
        return state == State.DISABLED || state == State.LEADING;
    }

    public Optional<LeaderElectionSettings> settings() {
        return Optional.ofNullable(settings);
    }

    /** One line for logs and {@code /readyz}. */
    public String describe() {
        return switch (state) {
            case DISABLED -> "leader election off: reconciling";
            case LEADING -> "leading (Lease " + lease() + ", identity " + settings.identity() + "): reconciling";
            case STANDING_BY -> "standing by (Lease " + lease() + " held by " + (leader == null ? "a holder not known yet" : leader)
                    + "; identity " + settings.identity() + ")";
            case LOST -> "lost the Lease " + lease() + ": exiting";
        };
    }

    private String lease() {
        return settings.namespace() + "/" + settings.leaseName();
    }

    private void startedLeading() {
        state = State.LEADING;
        led = true;
        LOG.info("Acquired the Lease {} as {}: reconciling", lease(), settings.identity());
    }

    private void stoppedLeading() {
        if (stopping) {
            state = State.STANDING_BY;
            LOG.info("Stopped leading: shutting down");
            return;
        }
        state = State.LOST;
        LOG.error("Lost the Lease {} (identity {}, holder now {}): exiting with status 1 at once so that two replicas never act"
                + " together; Kubernetes restarts this one as a standby", lease(), settings.identity(), leader == null ? "unknown" : leader);
        onLoss.run();
    }

    private void newLeader(String identity) {
        leader = identity;
        if (identity != null && !identity.equals(settings.identity()) && state == State.STANDING_BY) {
            LOG.info("The Lease {} is held by {}: standing by", lease(), identity);
        }
    }

    /** Marks a deliberate shutdown: losing the Lease from now on is expected. */
    public void stopping() {
        stopping = true;
    }

    /**
     * After the operator stopped: hands the Lease back (empty holder) if this process still holds it, so that a standby
     * takes over at its next retry. Optimistic locking makes this a no-op if someone else took the Lease meanwhile.
     */
    public void release(KubernetesClient client) {
        if (settings == null || !led) {
            return;
        }
        try {
            Lease lease = client.leases().inNamespace(settings.namespace()).withName(settings.leaseName()).get();
            if (lease == null || lease.getSpec() == null || !settings.identity().equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setLeaseDurationSeconds(1);
            client.leases().inNamespace(settings.namespace()).resource(lease).update();
            LOG.info("Released the Lease {}", lease());
        } catch (KubernetesClientException e) {
            LOG.warn("Could not release the Lease {} ({}); a standby takes over once it expires", lease(), e.getMessage());
        }
    }
}
