package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.proxysql.backend.MonitorUserResult;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.SteppedClock;
import dev.proxysql.operator.topology.BackendAddress;
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

/** When the monitor user is (re-)ensured on the backend: only for new inputs, and with a growing pause after failures. */
class MonitorUsersTest {
    /** What the references' AppBinding (kubedb.com/mysql) hints at. */
    private static final BackendMode MODE = BackendMode.GROUP_REPLICATION;
    private static final Credentials MONITOR = new Credentials("proxysql", "MonitorPw0123456789abcd");
    private static final MonitorUserResult OK = new MonitorUserResult(true, MonitorUserResult.ENSURED, "ok");
    private static final MonitorUserResult DOWN = new MonitorUserResult(false, MonitorUserResult.UNREACHABLE, "backend x is unreachable");

    private final ProxySQL proxysql = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);
    private final ResolvedReferences refs = references();
    private final List<String> recorded = new ArrayList<>();
    private final List<MonitorUserResult> answers = new ArrayList<>();
    private int connections;
    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-01-01T00:00:00Z"));

    private final MonitorUsers monitorUsers = new MonitorUsers((host, port, login, monitor, grants) -> {
        connections++;
        assertThat(login.username()).isEqualTo("root");
        return answers.remove(0);
    }, (p, fingerprint) -> recorded.add(fingerprint), clock);

    @Test
    void aRecordedFingerprintMeansNoConnectionAndReady() {
        answers.add(OK);
        MonitorUsers.Outcome first = monitorUsers.ensure(proxysql, refs, MONITOR, Optional.empty(), MODE);
        assertThat(first.check()).hasValueSatisfying(c -> assertThat(c.ok()).isTrue());
        assertThat(recorded).hasSize(1);

        MonitorUsers.Outcome settled = monitorUsers.ensure(proxysql, refs, MONITOR, Optional.of(monitorSecret(recorded.get(0))), MODE);

        assertThat(connections).isEqualTo(1);
        assertThat(settled.check()).isEqualTo(first.check());
        assertThat(settled.retryAfter()).isEmpty();
    }

    @Test
    void aChangedPasswordIsEnsuredAgain() {
        answers.add(OK);
        monitorUsers.ensure(proxysql, refs, MONITOR, Optional.empty(), MODE);
        answers.add(OK);

        monitorUsers.ensure(proxysql, refs, new Credentials("proxysql", "AnotherPw0123456789abcd"), Optional.of(monitorSecret(recorded.get(0))), MODE);

        assertThat(connections).isEqualTo(2);
        assertThat(recorded).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void failuresAreRetriedAfterADoublingPauseNotOnEveryReconcile() {
        answers.addAll(List.of(DOWN, DOWN, OK));
        MonitorUsers.Outcome failed = monitorUsers.ensure(proxysql, refs, MONITOR, Optional.empty(), MODE);
        assertThat(failed.check()).hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo(MonitorUserResult.UNREACHABLE));
        assertThat(failed.retryAfter()).contains(MonitorUsers.FIRST_RETRY);

        clock.advance(Duration.ofSeconds(5));
        MonitorUsers.Outcome meanwhile = monitorUsers.ensure(proxysql, refs, MONITOR, Optional.empty(), MODE);
        assertThat(connections).as("no reconnect before the retry is due").isEqualTo(1);
        assertThat(meanwhile.check()).as("the previous condition stays").isEmpty();
        assertThat(meanwhile.retryAfter()).contains(MonitorUsers.FIRST_RETRY.minusSeconds(5));

        clock.advance(MonitorUsers.FIRST_RETRY);
        assertThat(monitorUsers.ensure(proxysql, refs, MONITOR, Optional.empty(), MODE).retryAfter()).contains(MonitorUsers.FIRST_RETRY.multipliedBy(2));
        clock.advance(MonitorUsers.FIRST_RETRY.multipliedBy(2));
        MonitorUsers.Outcome recovered = monitorUsers.ensure(proxysql, refs, MONITOR, Optional.empty(), MODE);

        assertThat(connections).isEqualTo(3);
        assertThat(recovered.check()).hasValueSatisfying(c -> assertThat(c.ok()).isTrue());
        assertThat(recovered.retryAfter()).isEmpty();
        assertThat(recorded).as("recorded only once the backend accepted it").hasSize(1);
    }

    @Test
    void thePauseIsCapped() {
        Duration delay = Duration.ZERO;
        for (int i = 0; i < 10; i++) {
            answers.add(DOWN);
            delay = monitorUsers.ensure(proxysql, refs, MONITOR, Optional.empty(), MODE).retryAfter().orElseThrow();
            clock.advance(delay);
        }
        assertThat(delay).isEqualTo(MonitorUsers.MAX_RETRY);
    }

    private static Secret monitorSecret(String fingerprint) {
        return new SecretBuilder().withNewMetadata().withName("px-monitor")
                .withAnnotations(Map.of(MonitorUsers.ENSURED_ANNOTATION, fingerprint)).endMetadata().build();
    }

    private static ResolvedReferences references() {
        AppBinding binding = Serialization.unmarshal(MonitorUsersTest.class.getResourceAsStream("/manifests/appbinding-mysql.yaml"), AppBinding.class);
        binding.getMetadata().setNamespace("demo");
        Secret backendSecret = new SecretBuilder().withNewMetadata().withName("mysql-server-auth").endMetadata()
                .withStringData(Map.of("username", "root", "password", "Backend-Root-Pw-0123")).build();
        return new ResolvedReferences(Optional.empty(), null, binding, BackendAddress.of(binding).orElseThrow(), backendSecret,
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
