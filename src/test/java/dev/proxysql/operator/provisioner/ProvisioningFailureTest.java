package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** What a reconcile that threw reports in the ProvisioningFailed condition: one bounded line, the API server's own words. */
class ProvisioningFailureTest {

    @Test
    void anApiRefusalIsDescribedByTheServersMessage() {
        KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("secrets \"px-monitor\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a\n"
                        + "resource you can't set finalizers on").build());
        assertThat(ProvisionerReconciler.describe(forbidden)).isEqualTo("the API server answered 403: secrets \"px-monitor\" is forbidden:"
                + " cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on");
    }

    @Test
    void anyOtherExceptionByItsTypeAndMessageBounded() {
        assertThat(ProvisionerReconciler.describe(new NumberFormatException("For input string: \"99999999999\"")))
                .isEqualTo("NumberFormatException: For input string: \"99999999999\"");
        assertThat(ProvisionerReconciler.describe(new IllegalStateException("x".repeat(5000)))).hasSize(1003).endsWith("...");
    }
}
