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

    @Test
    void amountsAreExactForEverySuffix() {
        assertThat(ResourceQuantities.same(req("memory", "1024Pi"), req("memory", "1Ei"))).isTrue();
        assertThat(ResourceQuantities.amount(new Quantity("1Ei"))).isEqualByComparingTo("1152921504606846976");
        assertThat(ResourceQuantities.amount(new Quantity("1e3"))).isEqualByComparingTo("1000");
        assertThat(ResourceQuantities.amount(new Quantity("1.5k"))).isEqualByComparingTo("1500");
        assertThat(ResourceQuantities.amount(new Quantity("250n"))).isEqualByComparingTo("0.00000025");
    }

    @Test
    void quantitiesTheApiServerWouldRefuseOrChangeAreNamed() {
        assertThat(ResourceQuantities.quantityProblem("500m")).isNull();
        assertThat(ResourceQuantities.quantityProblem("2 cores")).isEqualTo("\"2 cores\" is not a quantity (e.g. 500m, 2, 1Gi)");
        assertThat(ResourceQuantities.quantityProblem("1Xi")).startsWith("\"1Xi\" is not a quantity");
        assertThat(ResourceQuantities.quantityProblem("-1")).isEqualTo("-1 is negative");
        assertThat(ResourceQuantities.quantityProblem("0.3333333333")).isEqualTo("0.3333333333 is finer than 1n, the smallest amount Kubernetes keeps");
        assertThat(ResourceQuantities.quantityProblem("1e20")).isEqualTo("1e20 is larger than Kubernetes can hold (2^63-1)");
    }

    private static ResourceRequirements req(String name, String quantity) {
        return new ResourceRequirementsBuilder().addToRequests(name, new Quantity(quantity)).build();
    }
}
