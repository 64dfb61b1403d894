package dev.proxysql.operator.opsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a template change says about itself and whether a StatefulSet already has it; applying it is proven in the ITs. */
class TemplateChangeTest {
    private static final ResourceRequirements HALF_CPU = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("500m")).build();

    @Test
    void describesImagesThenResourcesThenAnnotations() {
        TemplateChange change = new TemplateChange(Map.of("proxysql", "img:2"), Map.of("proxysql", HALF_CPU), Map.of("a", "b"));
        assertThat(change.describe()).isEqualTo("proxysql=img:2; proxysql resources requests cpu=500m; a=b");
        assertThat(new TemplateChange(null, null, Map.of("a", "b")).describe()).isEqualTo("a=b");
    }

    @Test
    void aStatefulSetHasTheChangeWhenImagesMatchResourcesHaveTheSameAmountsAndAnnotationsAreSet() {
        StatefulSet sts = sts("img:1", new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("0.5")).build(), Map.of("a", "b"));
        assertThat(StatefulSetTemplate.has(sts, new TemplateChange(Map.of("proxysql", "img:1"), Map.of("proxysql", HALF_CPU), Map.of("a", "b"))))
                .isTrue();
        assertThat(StatefulSetTemplate.has(sts, new TemplateChange(Map.of("proxysql", "img:2"), null, null))).as("other image").isFalse();
        assertThat(StatefulSetTemplate.has(sts, new TemplateChange(null, Map.of("proxysql",
                new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("1")).build()), null))).as("other resources").isFalse();
        assertThat(StatefulSetTemplate.has(sts, new TemplateChange(null, Map.of("sidecar", HALF_CPU), null))).as("no such container").isFalse();
        Map<String, String> removeA = new HashMap<>();
        removeA.put("a", null);
        assertThat(StatefulSetTemplate.has(sts, new TemplateChange(null, null, removeA))).as("annotation still there").isFalse();
    }

    private static StatefulSet sts(String image, ResourceRequirements resources, Map<String, String> annotations) {
        return new StatefulSetBuilder().withNewSpec().withNewTemplate().withNewMetadata().withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName("proxysql").withImage(image).withResources(resources).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
