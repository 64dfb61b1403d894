package dev.proxysql.operator.opsmanager.rolling;

import static dev.proxysql.operator.opsmanager.rolling.Fixtures.NEW_IMAGE;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.NEW_REV;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.OLD_IMAGE;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.OLD_REV;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.PREVIOUS;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.TARGET;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.fresh;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.old;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.terminating;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollPlanTest {

    @Test
    void listsPodsOffTargetNotServingFirstThenByOrdinal() {
        List<PodProgress> plan = RollPlan.plan(List.of(old(3, true), old(0, true), fresh(1, "new-1", true),
                old(2, false), terminating(old(4, true))), TARGET, "UpdateVersion");
        assertThat(plan).extracting(PodProgress::getName).containsExactly("px-2", "px-4", "px-0", "px-3");
        assertThat(plan).allSatisfy(p -> {
            assertThat(p.getState()).isEqualTo("Pending");
            assertThat(p.getEvictedUid()).isNull();
            assertThat(p.getStartedAt()).isNull();
            assertThat(p.getRetries()).isNull();
        });
    }

    @Test
    void reasonNamesTheImageChange() {
        List<PodProgress> plan = RollPlan.plan(List.of(old(0, true)), TARGET, "UpdateVersion");
        assertThat(plan.get(0).getReason()).isEqualTo("UpdateVersion: image " + OLD_IMAGE + " -> " + NEW_IMAGE);
        assertThat(RollPlan.plan(List.of(old(0, true)), TARGET, " ").get(0).getReason())
                .isEqualTo("image " + OLD_IMAGE + " -> " + NEW_IMAGE);
    }

    @Test
    void aTemplateChangeWithoutImageChangeIsARevisionChange() {
        RollTarget restart = new RollTarget(NEW_REV, Map.of("proxysql", OLD_IMAGE));
        List<PodProgress> plan = RollPlan.plan(List.of(old(0, true)), restart, "Restart");
        assertThat(plan.get(0).getReason()).isEqualTo("Restart: revision " + OLD_REV + " -> " + NEW_REV);
    }

    @Test
    void imagesAreASubsetMatchAndAMissingContainerIsADifference() {
        // fresh() pods also run an exporter that the target does not name: still on target.
        assertThat(RollPlan.plan(List.of(fresh(0, "u", true)), TARGET, "x")).isEmpty();
        ObservedPod noContainer = new ObservedPod("px-0", 0, "u", false, true, NEW_REV, Map.of("exporter", "e"));
        assertThat(RollPlan.plan(List.of(noContainer), TARGET, "").get(0).getReason())
                .isEqualTo("image <no container proxysql> -> " + NEW_IMAGE);
    }

    @Test
    void aBlankTargetRevisionComparesImagesOnly() {
        RollTarget imagesOnly = new RollTarget("", Map.of("proxysql", NEW_IMAGE));
        ObservedPod otherRevision = new ObservedPod("px-0", 0, "u", false, true, "whatever", Map.of("proxysql", NEW_IMAGE));
        assertThat(RollPlan.plan(List.of(otherRevision, old(1, true)), imagesOnly, ""))
                .extracting(PodProgress::getName).containsExactly("px-1");
    }

    @Test
    void oddInputGivesAnEmptyOrDeduplicatedPlan() {
        assertThat(RollPlan.plan(null, TARGET, "x")).isEmpty();
        assertThat(RollPlan.plan(List.of(old(0, true)), null, "x")).isEmpty();
        assertThat(RollPlan.plan(Arrays.asList(null, old(1, true), old(1, true)), TARGET, null))
                .extracting(PodProgress::getName).containsExactly("px-1");
    }

    @Test
    void rollbackListsTheMovedPodsBackToThePreviousTemplate() {
        List<PodProgress> plan = RollbackPlan.plan(List.of(old(0, true), fresh(1, "new-1", true), fresh(2, "new-2", false)),
                PREVIOUS);
        assertThat(plan).extracting(PodProgress::getName).containsExactly("px-2", "px-1");
        assertThat(plan.get(0).getReason()).isEqualTo("rollback: image " + NEW_IMAGE + " -> " + OLD_IMAGE);
    }
}
