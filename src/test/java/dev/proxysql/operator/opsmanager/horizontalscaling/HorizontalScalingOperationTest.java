package dev.proxysql.operator.opsmanager.horizontalscaling;

import dev.proxysql.operator.testing.OpsRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import dev.proxysql.operator.testing.OperatorFixture;
import org.junit.jupiter.api.Test;

class HorizontalScalingOperationTest {
    private final HorizontalScalingOperation op = new HorizontalScalingOperation(null);
    private final ProxySQL px = OperatorFixture.proxysql("ns", "px", "2.6.3-debian", 3);

    @Test
    void aMissingMemberIsRefusedNamingTheField() {
        Validation v = op.validate(request(null), px);
        assertThat(v.kind()).isEqualTo(Validation.Kind.REJECT);
        assertThat(v.message()).startsWith("spec.horizontalScaling.member: required");
    }

    @Test
    void outOfKubeDbsBoundsIsRefusedWithItsMessage() {
        assertThat(op.validate(request(2), px).message())
                .isEqualTo("spec.horizontalScaling.member: 2: Group size can not be less than 3 or greater than 50, range: [3,50]");
        assertThat(op.validate(request(51), px).kind()).isEqualTo(Validation.Kind.REJECT);
    }

    @Test
    void theCurrentCountIsRefused() {
        Validation v = op.validate(request(3), px);
        assertThat(v.kind()).isEqualTo(Validation.Kind.REJECT);
        assertThat(v.message()).isEqualTo("spec.horizontalScaling.member: ProxySQL px already has 3 replicas; name another member count");
    }

    @Test
    void anotherCountInBoundsRunsAndTargetsThatManyReplicas() {
        assertThat(op.validate(request(5), px).kind()).isEqualTo(Validation.Kind.RUN);
        assertThat(op.target(request(5), px).getSpec().getReplicas()).isEqualTo(5);
        assertThat(px.getSpec().getReplicas()).as("the ProxySQL itself is not changed").isEqualTo(3);
        assertThat(op.stepAfterPause(null)).isEqualTo(dev.proxysql.operator.api.ops.v1alpha1.OpsStep.SCALING_MEMBERS);
    }

    private static ProxySQLOpsRequest request(Integer member) {
        return OpsRequests.on(null, null).horizontalScaling(member).build();
    }
}
