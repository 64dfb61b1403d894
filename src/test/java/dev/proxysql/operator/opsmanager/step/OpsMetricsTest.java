package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.testing.OpsRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsMetricsTest {
    static ProxySQLOpsRequest request(OpsRequestType type, OpsRequestPhase phase) {
        ProxySQLOpsRequest r = OpsRequests.on(null, null).type(type).build();
        if (phase != null) {
            OpsRequestStatus s = new OpsRequestStatus();
            s.setPhase(phase);
            r.setStatus(s);
        }
        return r;
    }

    static double requests(SimpleMeterRegistry registry, String type, String phase) {
        return registry.get("proxysql.ops.requests").tag("type", type).tag("phase", phase).gauge().value();
    }

    @Test
    void requestsByTypeAndPhaseAreCountedLiveFromTheCache() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OpsMetrics metrics = new OpsMetrics(registry);
        List<ProxySQLOpsRequest> cache = new ArrayList<>(List.of(request(OpsRequestType.UPDATE_VERSION, null),
                request(OpsRequestType.UPDATE_VERSION, OpsRequestPhase.PROGRESSING), request(OpsRequestType.RESTART, OpsRequestPhase.PROGRESSING)));
        metrics.track(() -> new ArrayList<>(cache).stream());
        metrics.observed(cache);
        assertThat(requests(registry, "UpdateVersion", "Pending")).isEqualTo(1);
        assertThat(requests(registry, "UpdateVersion", "Progressing")).isEqualTo(1);
        assertThat(requests(registry, "Restart", "Progressing")).isEqualTo(1);

        cache.set(1, request(OpsRequestType.UPDATE_VERSION, OpsRequestPhase.SUCCESSFUL));
        cache.remove(2);
        metrics.observed(cache);
        assertThat(requests(registry, "UpdateVersion", "Progressing")).as("a seen series stays, at 0").isZero();
        assertThat(requests(registry, "UpdateVersion", "Successful")).isEqualTo(1);
        assertThat(requests(registry, "Restart", "Progressing")).isZero();
    }

    @Test
    void replacementsAndEvictionsAreCounters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OpsMetrics metrics = new OpsMetrics(registry);
        metrics.evicted();
        metrics.replaced("UpdateVersion", false, 2);
        metrics.replaced("UpdateVersion", true, 1);
        metrics.replaced("Restart", false, 0);
        metrics.finished("UpdateVersion", "Failed");
        assertThat(metrics.evictionCount()).isEqualTo(1);
        assertThat(registry.get("proxysql.ops.pod.replacements").tag("rollback", "false").counter().count()).isEqualTo(2);
        assertThat(registry.get("proxysql.ops.pod.replacements").tag("rollback", "true").counter().count()).isEqualTo(1);
        assertThat(registry.find("proxysql.ops.pod.replacements").tag("type", "Restart").counter()).isNull();
        assertThat(registry.get("proxysql.ops.requests.finished").tag("phase", "Failed").counter().count()).isEqualTo(1);
    }
}
