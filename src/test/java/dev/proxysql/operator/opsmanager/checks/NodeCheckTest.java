package dev.proxysql.operator.opsmanager.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.proxysql.admin.AdminFailure;
import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.AdminResult;
import dev.proxysql.operator.proxysql.admin.BackendProbe;
import dev.proxysql.operator.proxysql.admin.BackendServerState;
import dev.proxysql.operator.proxysql.admin.ClusterPeer;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of the pod check: how peer lists and backend states become a verdict message. */
class NodeCheckTest {

    private static final ClusterPeer P0 = new ClusterPeer("px-0.px-pods.demo.svc", 6032);
    private static final ClusterPeer P1 = new ClusterPeer("px-1.px-pods.demo.svc", 6032);
    private static final ClusterPeer P2 = new ClusterPeer("px-2.px-pods.demo.svc", 6032);
    private static final BackendServerState ONLINE = new BackendServerState(2, "db", 3306, "ONLINE");
    private static final BackendServerState SHUNNED = new BackendServerState(2, "db", 3306, "SHUNNED");
    private static final Instant T = Instant.parse("2026-12-05T00:00:00Z");

    @Test
    void aPodNotReachedYetIsPendingAndOnlyARefusedLoginOrQueryFails() {
        // On a real node: the replaced pod's DNS name not published yet, or still the old pod's address for its TTL.
        assertThat(NodeCheck.unanswered("px-0", AdminFailureKind.UNREACHABLE, "unknown host px-0.px-pods.demo.svc").verdict())
                .isEqualTo(VerifyResult.Verdict.PENDING);
        assertThat(NodeCheck.unanswered("px-0", AdminFailureKind.CONNECTION_REFUSED, "refused").verdict()).isEqualTo(VerifyResult.Verdict.PENDING);
        assertThat(NodeCheck.unanswered("px-0", AdminFailureKind.TIMEOUT, "timed out").verdict()).isEqualTo(VerifyResult.Verdict.PENDING);
        assertThat(NodeCheck.unanswered("px-0", AdminFailureKind.AUTHENTICATION_FAILED, "denied").verdict()).isEqualTo(VerifyResult.Verdict.FAILED);
        assertThat(NodeCheck.unanswered("px-0", AdminFailureKind.QUERY_FAILED, "bad answer").message()).isEqualTo("px-0: bad answer");
    }

    @Test
    void exactlyTheExpectedPeersIsMembership() {
        assertThat(NodeCheck.membership(Set.of(P0, P1, P2), List.of(P2, P0, P1))).isNull();
    }

    @Test
    void missingAndExtraPeersAreNamed() {
        assertThat(NodeCheck.membership(Set.of(P0, P1, P2), List.of(P0, new ClusterPeer("px-3.px-pods.demo.svc", 6032))))
                .isEqualTo("lists 2 of 3 peers; missing px-1.px-pods.demo.svc:6032, px-2.px-pods.demo.svc:6032;"
                        + " not a peer: px-3.px-pods.demo.svc:6032");
    }

    @Test
    void anOnlineServerWhoseLatestProbeSucceededIsReachable() {
        assertThat(NodeCheck.backend(ok(List.of(ONLINE)), ok(List.of(new BackendProbe("db", 3306, T, null))))).isNull();
    }

    @Test
    void noOnlineServerIsNotReachable() {
        assertThat(NodeCheck.backend(ok(List.of(SHUNNED)), ok(List.of(new BackendProbe("db", 3306, T, null)))))
                .isEqualTo("no backend server is ONLINE: [db:3306 (hostgroup 2, SHUNNED)]");
        assertThat(NodeCheck.backend(ok(List.of()), ok(List.of()))).isEqualTo("no backend server in runtime_mysql_servers");
    }

    @Test
    void noProbeYetOrOnlyProbesOfOtherServersIsNotConclusive() {
        assertThat(NodeCheck.backend(ok(List.of(ONLINE)), ok(List.of(new BackendProbe("old-db", 3306, T, null)))))
                .isEqualTo("the monitor has not checked the backend yet");
    }

    @Test
    void failedLatestProbesAreReportedWithTheMonitorsError() {
        assertThat(NodeCheck.backend(ok(List.of(ONLINE)),
                ok(List.of(new BackendProbe("db", 3306, T, "Can't connect to server on 'db' (111)")))))
                .isEqualTo("backend unreachable (the monitor's latest check of each server failed):"
                        + " [db:3306: Can't connect to server on 'db' (111)]");
    }

    @Test
    void anAdminQueryThatFailsIsReported() {
        assertThat(NodeCheck.backend(new AdminResult.Failure<>(new AdminFailure(AdminFailureKind.QUERY_FAILED, "no such table")), ok(List.of())))
                .isEqualTo("backend servers: no such table");
    }

    private static <T> AdminResult<T> ok(T value) {
        return new AdminResult.Success<>(value);
    }
}
