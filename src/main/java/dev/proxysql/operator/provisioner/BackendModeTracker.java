package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.proxysql.backend.BackendModeReading;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.topology.BackendModes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the backend is asked for its mode ({@link BackendModeDecision} decides from the answer): at the first reconcile
 * of a ProxySQL (before anything is rendered, so that its first pods start in the right mode), when the backend's
 * address, login, AppBinding type or the override annotation change, and then every {@link #RECHECK}. A failed read
 * is retried after {@link #FIRST_RETRY}, doubling up to {@link #MAX_RETRY}, like the monitor user; reconciles in
 * between do not reconnect. Never while paused (an ops request is running).
 */
final class BackendModeTracker {
    static final Duration RECHECK = Duration.ofMinutes(5);
    static final Duration FIRST_RETRY = MonitorUsers.FIRST_RETRY;
    static final Duration MAX_RETRY = MonitorUsers.MAX_RETRY;
    private static final Logger LOG = LoggerFactory.getLogger(BackendModeTracker.class);

    /** {@link dev.proxysql.operator.proxysql.backend.BackendModeReader#read}'s shape, so tests can stand in for a backend. */
    interface Reader {
        BackendModeReading read(String host, int port, Credentials login);
    }

    /** The decision and when the backend is due to be asked again. */
    record Outcome(BackendModeDecision.Decision decision, Optional<Duration> nextRead) {
    }

    /**
     * The last read of one ProxySQL's backend: for which inputs, when the next is due, the delay after a failure, and
     * what was decided from it (given again while the status does not show it: its write may have been lost).
     */
    private record LastRead(String inputs, Instant next, Duration failureDelay, BackendModeDecision.Decision decision) {
    }

    private final Reader reader;
    private final Clock clock;
    private final Map<String, LastRead> reads = new ConcurrentHashMap<>();

    BackendModeTracker(Reader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    Outcome decide(ProxySQL p, ResolvedReferences refs, boolean paused) {
        List<Condition> conditions = p.getStatus() == null ? null : p.getStatus().getConditions();
        Optional<Condition> previous = Conditions.find(conditions, BackendModes.CONDITION);
        Optional<String> override = BackendModes.overrideValue(p);
        String bindingType = refs.backend().getSpec().getType();
        var hint = BackendModes.hint(refs.backend());
        BackendModeDecision.Decision unread = BackendModeDecision.decide(override, Optional.empty(), previous, hint, bindingType);
        if (paused || unread.problem().isPresent()) {
            return new Outcome(unread, Optional.empty());
        }
        String host = refs.backendAddress().host();
        int port = refs.backendAddress().port();
        Credentials login = new Credentials(ConfigInputMapper.text(refs.backendSecret(), "username"),
                ConfigInputMapper.text(refs.backendSecret(), "password"));
        String inputs = MonitorUsers.fingerprint(host + ":" + port, login.username(), String.valueOf(login.password()),
                String.valueOf(bindingType), override.orElse(""));
        String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
        Instant now = Instant.now(clock);
        LastRead last = reads.get(key);
        boolean due = last == null || !last.inputs().equals(inputs) || !now.isBefore(last.next()) || previous.isEmpty();
        if (!due) {
            // A decision whose status write did not land (a conflict, the operator's own restart of the reconcile) is
            // given again until the next read, instead of the condition the status still shows from before it.
            boolean shown = last.decision().check().map(c -> previous.map(shownNow -> c.reason().equals(shownNow.getReason())
                    && c.message().equals(shownNow.getMessage())).orElse(false)).orElse(true);
            return new Outcome(shown ? unread : last.decision(), Optional.of(Duration.between(now, last.next())));
        }
        BackendModeReading reading = reader.read(host, port, login);
        BackendModeDecision.Decision decision = BackendModeDecision.decide(override, Optional.of(reading), previous, hint, bindingType);
        Duration delay;
        if (reading.observation().isPresent()) {
            delay = RECHECK;
            reads.put(key, new LastRead(inputs, now.plus(delay), null, decision));
        } else {
            delay = last != null && last.inputs().equals(inputs) && last.failureDelay() != null
                    ? min(last.failureDelay().multipliedBy(2), MAX_RETRY) : FIRST_RETRY;
            reads.put(key, new LastRead(inputs, now.plus(delay), delay, decision));
            LOG.warn("ProxySQL {}: backend mode not read ({}), asking again in {}: {}", key, reading.reason(), delay, reading.message());
        }
        reads.values().removeIf(r -> r.next().plus(MAX_RETRY).plus(RECHECK).isBefore(now));
        if (previous.flatMap(c -> BackendModes.parse(c.getReason())).map(m -> m != decision.mode()).orElse(false)) {
            LOG.info("ProxySQL {}: backend mode now {} (was {})", key, BackendModes.name(decision.mode()), previous.get().getReason());
        }
        return new Outcome(decision, Optional.of(delay));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
