package dev.proxysql.operator.testing;

import dev.proxysql.operator.testing.cluster.Await;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * A minimal stand-in for another project's CRD (src/test/resources/manifests/), for the test classes whose operator
 * uses it when discovery serves it. They install it before their operator starts, so that its first discovery sees it,
 * and remove it after the class: the other classes share the cluster and run without it.
 */
public record OptionalCrd(String name, String manifest, String apiVersion, String kind) {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Installs the CRD and returns once discovery serves it, which is a moment after Established. */
    public void install(KubernetesClient admin) {
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
                .load(OptionalCrd.class.getResourceAsStream(manifest)).item();
        admin.resource(crd).fieldManager("test-install").forceConflicts().serverSideApply();
        Await.until(TIMEOUT, "discovery to serve " + apiVersion + " " + kind, () -> admin.supports(apiVersion, kind));
    }

    /** Deletes the CRD and waits until it is gone (its objects go with it). */
    public void remove(KubernetesClient admin) {
        admin.apiextensions().v1().customResourceDefinitions().withName(name).delete();
        Await.until(TIMEOUT, "CRD " + name + " gone", () -> admin.apiextensions().v1().customResourceDefinitions().withName(name).get() == null);
    }
}
