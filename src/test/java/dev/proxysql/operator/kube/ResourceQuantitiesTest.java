package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.api.Test;

class ResourceQuantitiesTest {

    @Test
    void quantitiesAreComparedByAmountNotSpelling() {
        ResourceRequirements a = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("0.5"))
                .addToLimits("memory", new Quantity("1Gi")).build();
        ResourceRequirements b = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("500m"))
                .addToLimits("memory", new Quantity("1073741824")).build();
        assertThat(ResourceQuantities.same(a, b)).isTrue();
    }

    @Test
    void aDifferentAmountOrAMissingResourceIsAChange() {
        ResourceRequirements base = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("500m")).build();
        assertThat(ResourceQuantities.same(base, new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("501m")).build())).isFalse();
        assertThat(ResourceQuantities.same(base, new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("1Gi")).build())).isFalse();
        assertThat(ResourceQuantities.same(base, new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("500m")).build())).isFalse();
    }

    @Test
    void nullAndEmptyAreTheSame() {
        assertThat(ResourceQuantities.same(null, new ResourceRequirements())).isTrue();
        assertThat(ResourceQuantities.describe(null)).isEqualTo("none");
    }

    @Test
    void describesRequestsThenLimitsInNameOrder() {
        ResourceRequirements r = new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("1Gi"))
                .addToRequests("cpu", new Quantity("250m")).addToLimits("memory", new Quantity("1Gi")).build();
        assertThat(ResourceQuantities.describe(r)).isEqualTo("requests cpu=250m, memory=1Gi; limits memory=1Gi");
    }

    @Test
    void aRequestAboveItsLimitIsAProblemNamingTheField() {
        ResourceRequirements r = new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("2Gi"))
                .addToLimits("memory", new Quantity("1Gi")).addToRequests("cpu", new Quantity("1")).build();
        assertThat(ResourceQuantities.problem("spec.x", r))
                .isEqualTo("spec.x.requests.memory: 2Gi is more than spec.x.limits.memory (1Gi)");
        assertThat(ResourceQuantities.problem("spec.x", new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("1Gi"))
                .addToLimits("memory", new Quantity("1024Mi")).build())).as("equal is fine").isNull();
    }
}
