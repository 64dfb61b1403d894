package dev.proxysql.operator.opsmanager.horizontalscaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberPlanTest {

    @Test
    void scaleUpAddsTheNextOrdinalsInOrder() {
        List<PodProgress> plan = MemberPlan.plan("px", 3, 5);
        assertThat(plan).extracting(PodProgress::getName).containsExactly("px-3", "px-4");
        assertThat(plan).allMatch(MemberPlan::adds).allMatch(e -> MemberPlan.PENDING.equals(e.getState()));
        assertThat(plan).extracting(MemberPlan::members).containsExactly(4, 5);
        assertThat(MemberPlan.isRollback(plan)).isFalse();
    }

    @Test
    void scaleDownRemovesTheHighestOrdinalFirst() {
        List<PodProgress> plan = MemberPlan.plan("px", 5, 3);
        assertThat(plan).extracting(PodProgress::getName).containsExactly("px-4", "px-3");
        assertThat(plan).noneMatch(MemberPlan::adds);
        assertThat(plan).extracting(MemberPlan::members).containsExactly(4, 3);
    }

    @Test
    void theRollbackUndoesTheTouchedEntriesLastFirstIncludingOneStoppedHalfWay() {
        List<PodProgress> plan = MemberPlan.plan("px", 3, 6);
        plan.get(0).setState(MemberPlan.DONE);
        plan.get(1).setState(MemberPlan.JOINING);
        List<PodProgress> back = MemberPlan.rollback(plan);
        assertThat(back).extracting(PodProgress::getName).containsExactly("px-4", "px-3");
        assertThat(back).noneMatch(MemberPlan::adds);
        assertThat(back).extracting(MemberPlan::members).containsExactly(4, 3);
        assertThat(MemberPlan.isRollback(back)).isTrue();
        assertThat(MemberPlan.isRollback(MemberPlan.rollback(MemberPlan.plan("px", 3, 4)))).as("nothing touched").isTrue();
    }

    @Test
    void theRollbackOfAScaleDownAddsThePodsBack() {
        List<PodProgress> plan = MemberPlan.plan("px", 5, 3);
        plan.get(0).setState(MemberPlan.DELETING);
        List<PodProgress> back = MemberPlan.rollback(plan);
        assertThat(back).extracting(PodProgress::getName).containsExactly("px-4");
        assertThat(back).allMatch(MemberPlan::adds);
        assertThat(MemberPlan.members(back.get(0))).isEqualTo(5);
    }

    @Test
    void theFailureMessageSaysWhatTheRollbackRestored() {
        assertThat(MemberPlan.failureOutcome("step ScalingMembers: pod px-3 did not become Ready", true, null, 3))
                .endsWith("rolled back: 3 members again, each listing exactly them in proxysql_servers, spec.replicas unchanged, ProxySQL resumed");
        assertThat(MemberPlan.failureOutcome("x", true, "pod px-3 was not deleted", 3)).contains("rollback also failed: pod px-3");
    }
}
