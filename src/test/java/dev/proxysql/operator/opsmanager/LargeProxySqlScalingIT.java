package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.LargeProxySqlUpdateVersionIT.LONG;
import static dev.proxysql.operator.opsmanager.LargeProxySqlUpdateVersionIT.MAX_REPLICAS;
import static dev.proxysql.operator.opsmanager.LargeProxySqlUpdateVersionIT.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.horizontalScaling;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static dev.proxysql.operator.opsmanager.OpsFixture.podImages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HorizontalScaling across KubeDB's whole range of members, 3 to 50 and back, one pod at a time: each added or removed
 * pod has its {@code AddMember--<pod>} / {@code RemoveMember--<pod>} condition, and with 47 of them the list used to
 * pass the API's 64 conditions (see {@link LargeProxySqlUpdateVersionIT}).
 */
@LocalCluster
class LargeProxySqlScalingIT {
    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth);

    @Test
    void scalingFromThreeToFiftyAndBackSucceedsAndResumes(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, null)).create();
        awaitReady(client, "px");

        client.resource(horizontalScaling(ns, "up", "px", MAX_REPLICAS, "2m")).create();
        ProxySQLOpsRequest up = awaitOps(client, "up", OpsRequestPhase.SUCCESSFUL, LONG);
        assertWithinBounds(up);
        assertThat(up.getStatus().getConditions()).extracting(Condition::getType).contains("HorizontalScaleUp", "AddMember--px-49")
                .doesNotContain("AddMember--px-3");
        assertThat(message(up, "HorizontalScaleUp")).contains("scaled from 3 to 50 members");
        assertThat(up.getStatus().getProgress().getPods()).as("every added pod's record, in the progress").hasSize(MAX_REPLICAS - 3)
                .allSatisfy(p -> assertThat(p.getState()).isEqualTo("Done"));
        assertNotPaused(client, "px");
        assertThat(podImages(client, "px")).hasSize(MAX_REPLICAS);
        awaitReady(client, "px");

        client.resource(horizontalScaling(ns, "down", "px", 3, "2m")).create();
        ProxySQLOpsRequest down = awaitOps(client, "down", OpsRequestPhase.SUCCESSFUL, LONG);
        assertWithinBounds(down);
        assertThat(down.getStatus().getConditions()).extracting(Condition::getType).contains("HorizontalScaleDown", "RemoveMember--px-3")
                .doesNotContain("RemoveMember--px-49");
        assertThat(message(down, "HorizontalScaleDown")).contains("scaled from 50 to 3 members");
        assertNotPaused(client, "px");
        assertThat(podImages(client, "px")).containsOnlyKeys("px-0", "px-1", "px-2");
        awaitReady(client, "px");
    }

    private static void assertWithinBounds(ProxySQLOpsRequest r) {
        assertThat(r.getStatus().getConditions()).hasSizeLessThanOrEqualTo(OpsRequestStatus.MAX_CONDITIONS);
        assertThat(message(r, "Successful")).isNotBlank();
    }
}
