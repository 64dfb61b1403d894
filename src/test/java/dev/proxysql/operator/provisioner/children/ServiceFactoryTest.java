package dev.proxysql.operator.provisioner.children;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.topology.ClientServiceMembership;
import dev.proxysql.operator.topology.KubeDbLabels;
import org.junit.jupiter.api.Test;

/**
 * The client Service selects one label more than the StatefulSet and the governing Service, so that a leaving pod
 * can leave the client Service (HorizontalScaling's drain) and stay the StatefulSet's with its DNS name; every pod the
 * StatefulSet creates carries that label.
 */
class ServiceFactoryTest {

    @Test
    void theClientServiceSelectsTheServingLabelTheStatefulSetAndTheGoverningServiceDoNot() {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 3);
        assertThat(ServiceFactory.primary(p).getSpec().getSelector())
                .isEqualTo(ClientServiceMembership.selector("px"))
                .containsEntry(ClientServiceMembership.LABEL, ClientServiceMembership.VALUE);
        assertThat(ServiceFactory.governing(p).getSpec().getSelector()).isEqualTo(KubeDbLabels.selector("px"))
                .doesNotContainKey(ClientServiceMembership.LABEL);
        assertThat(KubeDbLabels.offshoot("px", null)).as("the pod template's labels")
                .containsAllEntriesOf(ClientServiceMembership.selector("px"));
    }
}
