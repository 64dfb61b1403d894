package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.provisioner.status.Observation.Check;
import dev.proxysql.operator.proxysql.backend.MonitorGrant;
import dev.proxysql.operator.proxysql.backend.MonitorUserProvisioner;
import dev.proxysql.operator.proxysql.backend.MonitorUserResult;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ProxySQL's monitor user on the backend in line with the {@code <name>-monitor} Secret, without connecting to
 * the backend on every reconcile.
 *
 * <p>What was last ensured is recorded on the monitor Secret as a fingerprint of backend address, username, password
 * and grants, written only after the backend accepted all of it; as long as the fingerprint matches, nothing is done
 * (a settled ProxySQL costs no connection and no write). A failure is retried after {@link #FIRST_RETRY}, doubling up
 * to {@link #MAX_RETRY} while the inputs stay the same: reconciles triggered in between by other events do not
 * reconnect, so 1,000 ProxySQLs in front of unreachable backends cannot keep the reconcile threads busy.
 */
final class MonitorUsers {
    static final String ENSURED_ANNOTATION = "proxysql.dev/monitor-user-ensured";
    static final Duration FIRST_RETRY = ProvisionerReconciler.DEPENDENCY_RETRY;
    static final Duration MAX_RETRY = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(MonitorUsers.class);

    /** What to report ({@code check}: empty keeps the previous condition) and when to look again, if at all. */
    record Outcome(Optional<Check> check, Optional<Duration> retryAfter) {
    }

    /** A failed attempt for one fingerprint, and when the next one is due. */
    private record Failure(String fingerprint, Instant nextAttempt, Duration delay) {
    }

    /** {@link MonitorUserProvisioner#ensure}'s shape, so tests can stand in for a backend. */
    interface Backend {
        MonitorUserResult ensure(String host, int port, Credentials login, Credentials monitor, List<MonitorGrant> grants);
    }

    private final Backend backend;
    private final BiConsumer<ProxySQL, String> recordEnsured;
    private final Clock clock;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    /** {@code recordEnsured} writes the fingerprint onto the ProxySQL's monitor Secret ({@link #ENSURED_ANNOTATION}). */
    MonitorUsers(Backend backend, BiConsumer<ProxySQL, String> recordEnsured, Clock clock) {
        this.backend = backend;
        this.recordEnsured = recordEnsured;
        this.clock = clock;
    }

    /**
     * {@code liveMonitorSecret}: the Secret as read this reconcile; empty when it was just created. {@code mode}: the
     * backend mode in use, which decides the grants (a changed mode changes the fingerprint, so its grants are added).
     */
    Outcome ensure(ProxySQL p, ResolvedReferences refs, Credentials monitor, Optional<Secret> liveMonitorSecret, BackendMode mode) {
        String host = refs.backendAddress().host();
        int port = refs.backendAddress().port();
        List<MonitorGrant> grants = MonitorGrant.forMode(mode);
        String fingerprint = fingerprint(host + ":" + port, monitor.username(), monitor.password(), grants.toString());
        String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
        String recorded = liveMonitorSecret.map(s -> s.getMetadata().getAnnotations()).map(a -> a.get(ENSURED_ANNOTATION)).orElse(null);
        if (fingerprint.equals(recorded)) {
            failures.remove(key);
            return new Outcome(Optional.of(ensured(host, port, monitor, grants)), Optional.empty());
        }
        Instant now = Instant.now(clock);
        Failure last = failures.get(key);
        if (last != null && last.fingerprint().equals(fingerprint) && now.isBefore(last.nextAttempt())) {
            return new Outcome(Optional.empty(), Optional.of(Duration.between(now, last.nextAttempt())));
        }
        Credentials login = new Credentials(ConfigInputMapper.text(refs.backendSecret(), "username"),
                ConfigInputMapper.text(refs.backendSecret(), "password"));
        MonitorUserResult result = backend.ensure(host, port, login, monitor, grants);
        if (result.ensured()) {
            recordEnsured.accept(p, fingerprint);
            failures.remove(key);
            LOG.info("ProxySQL {}: monitor user ensured on backend {}:{}", key, host, port);
            return new Outcome(Optional.of(ensured(host, port, monitor, grants)), Optional.empty());
        }
        Duration delay = last != null && last.fingerprint().equals(fingerprint) ? min(last.delay().multipliedBy(2), MAX_RETRY) : FIRST_RETRY;
        forgetStale(now);
        failures.put(key, new Failure(fingerprint, now.plus(delay), delay));
        LOG.warn("ProxySQL {}: monitor user not ensured ({}), retrying in {}: {}", key, result.reason(), delay, result.message());
        return new Outcome(Optional.of(new Check(false, result.reason(), result.message())), Optional.of(delay));
    }

    private static Check ensured(String host, int port, Credentials monitor, List<MonitorGrant> grants) {
        return new Check(true, MonitorUserResult.ENSURED, MonitorUserProvisioner.ensuredMessage(host, port, monitor.username(), grants));
    }

    /** Failures of ProxySQLs that were deleted or fixed otherwise are not kept forever. */
    private void forgetStale(Instant now) {
        failures.values().removeIf(f -> f.nextAttempt().plus(MAX_RETRY).isBefore(now));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Not reversible in practice (generated passwords are 24 random alphanumerics); and whoever may read the
     * annotation may read the Secret's data too.
     */
    static String fingerprint(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
