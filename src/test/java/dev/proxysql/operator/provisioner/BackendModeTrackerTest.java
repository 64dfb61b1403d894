package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.proxysql.backend.BackendModeReading;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.SteppedClock;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.BackendModes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the backend is asked for its mode: first, on changed inputs, every RECHECK, backed off after failures, never paused. */
class BackendModeTrackerTest {
    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<BackendModeReading> answers = new ArrayList<>();
    private int reads;
    private final BackendModeTracker tracker = new BackendModeTracker((host, port, login) -> {
        reads++;
        assertThat(login.username()).isEqualTo("root");
        return answers.remove(0);
    }, clock);
    private final ProxySQL proxysql = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);

    @Test
    void readFirstThenOnlyEveryRecheckAndTheConditionStaysInBetween() {
        answers.add(standalone());
        BackendModeTracker.Outcome first = tracker.decide(proxysql, references("kubedb.com/mariadb"), false);
        assertThat(first.decision().mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(first.nextRead()).contains(BackendModeTracker.RECHECK);
        record(first);

        clock.advance(Duration.ofMinutes(1));
        BackendModeTracker.Outcome between = tracker.decide(proxysql, references("kubedb.com/mariadb"), false);
        assertThat(reads).isEqualTo(1);
        assertThat(between.decision().mode()).as("the recorded mode, not the hint").isEqualTo(BackendMode.STANDALONE);
        assertThat(between.decision().check()).isEmpty();
        assertThat(between.nextRead()).contains(BackendModeTracker.RECHECK.minusMinutes(1));

        clock.advance(BackendModeTracker.RECHECK);
        answers.add(galera());
        BackendModeTracker.Outcome later = tracker.decide(proxysql, references("kubedb.com/mariadb"), false);
        assertThat(reads).isEqualTo(2);
        assertThat(later.decision().mode()).isEqualTo(BackendMode.GALERA);
    }

    @Test
    void changedInputsAreReadAtOnce() {
        answers.add(standalone());
        record(tracker.decide(proxysql, references("kubedb.com/mariadb"), false));
        answers.add(standalone());
        tracker.decide(proxysql, references("kubedb.com/mysql"), false);
        assertThat(reads).as("another AppBinding type").isEqualTo(2);

        proxysql.getMetadata().setAnnotations(Map.of(BackendModes.OVERRIDE_ANNOTATION, "Galera"));
        answers.add(standalone());
        BackendModeTracker.Outcome overridden = tracker.decide(proxysql, references("kubedb.com/mysql"), false);
        assertThat(reads).as("an override set").isEqualTo(3);
        assertThat(overridden.decision().mode()).isEqualTo(BackendMode.GALERA);
    }

    /**
     * The override removed: the read finds a standalone server and says the mode changed from Galera. If that status
     * write is lost, the next reconcile (not due to read) gives the same decision again, not the status's old Galera.
     */
    @Test
    void aDecisionWhoseStatusWriteWasLostIsGivenAgainUntilTheNextRead() {
        proxysql.getMetadata().setAnnotations(Map.of(BackendModes.OVERRIDE_ANNOTATION, "Galera"));
        answers.add(standalone());
        record(tracker.decide(proxysql, references("kubedb.com/mariadb"), false));
        proxysql.getMetadata().setAnnotations(Map.of());
        answers.add(standalone());
        BackendModeTracker.Outcome read = tracker.decide(proxysql, references("kubedb.com/mariadb"), false);
        assertThat(read.decision().check().orElseThrow().message()).contains("Changed from Galera");

        clock.advance(Duration.ofSeconds(1));
        BackendModeTracker.Outcome again = tracker.decide(proxysql, references("kubedb.com/mariadb"), false);
        assertThat(reads).as("no second read").isEqualTo(2);
        assertThat(again.decision().mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(again.decision().check().orElseThrow().message()).contains("Changed from Galera");

        record(again);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tracker.decide(proxysql, references("kubedb.com/mariadb"), false).decision().check())
                .as("once the status shows it, the condition stays as it is").isEmpty();
    }

    @Test
    void failuresAreRetriedWithAGrowingPauseAndKeepTheModeReadBefore() {
        answers.add(galera());
        record(tracker.decide(proxysql, references("example.com/db"), false));
        clock.advance(BackendModeTracker.RECHECK);
        answers.add(down());
        BackendModeTracker.Outcome failed = tracker.decide(proxysql, references("example.com/db"), false);
        assertThat(failed.decision().mode()).isEqualTo(BackendMode.GALERA);
        assertThat(failed.decision().check().orElseThrow().message()).startsWith("The backend could not be read now");
        assertThat(failed.nextRead()).contains(BackendModeTracker.FIRST_RETRY);
        record(failed);

        clock.advance(Duration.ofSeconds(5));
        tracker.decide(proxysql, references("example.com/db"), false);
        assertThat(reads).as("no reconnect before the retry is due").isEqualTo(2);

        Duration delay = BackendModeTracker.FIRST_RETRY;
        for (int i = 0; i < 8; i++) {
            clock.advance(delay);
            answers.add(down());
            delay = tracker.decide(proxysql, references("example.com/db"), false).nextRead().orElseThrow();
        }
        assertThat(delay).isEqualTo(BackendModeTracker.MAX_RETRY);
    }

    @Test
    void nothingIsReadWhilePausedOrWithAnInvalidOverride() {
        BackendModeTracker.Outcome paused = tracker.decide(proxysql, references("kubedb.com/mariadb"), true);
        assertThat(paused.decision().mode()).isEqualTo(BackendMode.GALERA);
        assertThat(paused.decision().check()).isEmpty();

        proxysql.getMetadata().setAnnotations(Map.of(BackendModes.OVERRIDE_ANNOTATION, "Replication"));
        BackendModeTracker.Outcome invalid = tracker.decide(proxysql, references("kubedb.com/mariadb"), false);
        assertThat(invalid.decision().problem()).isPresent();
        assertThat(reads).isZero();
    }

    /** What the status write would leave for the next reconcile. */
    private void record(BackendModeTracker.Outcome outcome) {
        outcome.decision().check().ifPresent(c -> {
            ProxySQLStatus status = new ProxySQLStatus();
            status.setConditions(List.of(new Condition(BackendModes.CONDITION, c.ok() ? "True" : "False", c.reason(), c.message())));
            proxysql.setStatus(status);
        });
    }

    private static BackendModeReading standalone() {
        return BackendModeReading.read("db:3306", BackendModeDecisionTest.STANDALONE_MARIADB);
    }

    private static BackendModeReading galera() {
        return BackendModeReading.read("db:3306", BackendModeDecisionTest.GALERA_NODE);
    }

    private static BackendModeReading down() {
        return BackendModeReading.failed("db:3306", "BackendUnreachable", "backend db:3306 is unreachable");
    }

    private static ResolvedReferences references(String type) {
        AppBinding binding = Serialization.unmarshal(BackendModeTrackerTest.class.getResourceAsStream("/manifests/appbinding-mysql.yaml"), AppBinding.class);
        binding.getMetadata().setNamespace("demo");
        binding.getSpec().setType(type);
        Secret backendSecret = new SecretBuilder().withNewMetadata().withName("mysql-server-auth").endMetadata()
                .withStringData(Map.of("username", "root", "password", "Backend-Root-Pw-0123")).build();
        return new ResolvedReferences(Optional.empty(), null, binding, BackendAddress.of(binding).orElseThrow(), backendSecret,
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
