package dev.proxysql.operator.opsmanager.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.kube.ChildApplier;
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
        TemplateChange change = new TemplateChange(Map.of("proxysql", "img:2"), Map.of("proxysql", HALF_CPU), Map.of("a", "b"), null);
        assertThat(change.describe()).isEqualTo("proxysql=img:2; proxysql resources requests cpu=500m; a=b");
        assertThat(new TemplateChange(null, null, Map.of("a", "b"), null).describe()).isEqualTo("a=b");
    }

    @Test
    void theRollbackOfAnIssuerChangeRemovesItsAnnotationSoTheOriginalRevisionIsTheTarget() {
        String k = dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsOperation.RECONFIGURED_BY;
        // An issuer change renders the same StatefulSet for both issuers: only its annotation tells the revisions apart.
        StatefulSet rendered = sts("img:2", HALF_CPU, Map.of());
        StatefulSet moved = sts("img:2", HALF_CPU, Map.of(k, "tls/uid"));
        moved.getMetadata().setAnnotations(Map.of(ChildApplier.HASH_ANNOTATION, ChildApplier.hashOf(rendered)));
        TemplateChange back = new TemplateChange(null, null,
                TemplateChange.restoring(java.util.List.of(k), null), rendered);
        assertThat(StatefulSetTemplate.has(moved, back)).as("the annotated template is not the rollback's: it must be written back").isFalse();
        assertThat(back.describe()).isEqualTo("without " + k);
        StatefulSet original = sts("img:2", HALF_CPU, Map.of());
        original.getMetadata().setAnnotations(Map.of(ChildApplier.HASH_ANNOTATION, ChildApplier.hashOf(rendered)));
        assertThat(StatefulSetTemplate.has(original, back)).as("written back: the original template again").isTrue();
        // The template already had the annotation (an earlier issuer change): the rollback puts that value back.
        Map<String, String> again = TemplateChange.restoring(java.util.List.of(k), Map.of(k, "earlier/uid"));
        assertThat(again).containsExactly(Map.entry(k, "earlier/uid"));
        StatefulSet earlier = sts("img:2", HALF_CPU, Map.of(k, "earlier/uid"));
        earlier.getMetadata().setAnnotations(Map.of(ChildApplier.HASH_ANNOTATION, ChildApplier.hashOf(rendered)));
        assertThat(StatefulSetTemplate.has(earlier, new TemplateChange(null, null, again, rendered))).as("the original revision again").isTrue();
        assertThat(StatefulSetTemplate.has(earlier, back)).as("removing it instead would make a third revision").isFalse();
    }

    @Test
    void aStatefulSetHasTheChangeWhenItWasLastAppliedFromTheSameRenderingAndHasTheAnnotations() {
        StatefulSet rendered = sts("img:2", HALF_CPU, Map.of());
        StatefulSet live = sts("img:2", HALF_CPU, Map.of("a", "b"));
        live.getMetadata().setAnnotations(Map.of(ChildApplier.HASH_ANNOTATION, ChildApplier.hashOf(rendered)));
        assertThat(StatefulSetTemplate.has(live, new TemplateChange(null, null, Map.of("a", "b"), rendered))).isTrue();
        assertThat(StatefulSetTemplate.has(live, new TemplateChange(null, null, Map.of("a", "c"), rendered))).as("other annotation value").isFalse();
        Map<String, String> removeA = new HashMap<>();
        removeA.put("a", null);
        assertThat(StatefulSetTemplate.has(live, new TemplateChange(null, null, removeA, rendered))).as("annotation still there").isFalse();
        assertThat(StatefulSetTemplate.has(live, new TemplateChange(null, null, Map.of(), sts("img:3", HALF_CPU, Map.of()))))
                .as("applied from another rendering").isFalse();
        StatefulSet neverApplied = sts("img:2", HALF_CPU, Map.of());
        assertThat(StatefulSetTemplate.has(neverApplied, new TemplateChange(null, null, Map.of(), rendered)))
                .as("same template, but not applied from this rendering").isFalse();
    }

    private static StatefulSet sts(String image, ResourceRequirements resources, Map<String, String> annotations) {
        return new StatefulSetBuilder().withNewSpec().withNewTemplate().withNewMetadata().withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName("proxysql").withImage(image).withResources(resources).endContainer().endSpec()
                .endTemplate().endSpec().withNewMetadata().endMetadata().build();
    }
}
